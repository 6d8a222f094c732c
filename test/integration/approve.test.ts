import { TagUserCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { lambdaHarness } from '../support/lambdaHarness';
import { awsEndpoint, keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { type ReportKind, reportAbout, securityHub } from '../support/reports';
import { runCli } from '../support/runCli';

async function setUp() {
  const local = await localResponder();
  const { iam, sns, dynamodb } = local.responderClients;
  return { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
}

/** A report Keystop only alerts on, about a fresh user's key (with a decoy key beside it). */
async function alertedOn(context: Awaited<ReturnType<typeof setUp>>, kind: ReportKind) {
  const key = await userWithTwoKeys(context.clients.iam);
  const delivery = await context.deliver(reportAbout(kind, { userName: key.userName, accessKeyId: key.leaked }, uniqueName(kind)));
  const [alert] = await context.sink.drain();
  return { key, incidentId: delivery.responses[0]!.incident!.id, alert: alert! };
}

const approve = (context: Awaited<ReturnType<typeof setUp>>, incidentId: string) =>
  runCli(['contain', '--incident', incidentId, '--table', context.tableName, '--topic-arn', context.sink.topicArn, '--json'], {
    endpoint: awsEndpoint(),
  }).then(({ stdout }) => JSON.parse(stdout).responses[0]);

describe('Approve in one step: keystop contain --incident', () => {
  it('an alert-only alert names the incident and the command; running it contains exactly that key and alerts', async () => {
    const context = await setUp();
    const { key, incidentId, alert } = await alertedOn(context, 'guardduty-anomaly-medium');
    expect(alert.subject).toMatch(/^Keystop ACTION NEEDED/);
    expect(alert.text).toContain(`keystop contain --incident ${incidentId}`);

    const response = await approve(context, incidentId);

    expect(response).toMatchObject({ outcome: 'contained', reason: 'escalated', policy: 'approved-by-responder' });
    expect(response.incident).toMatchObject({ id: incidentId, source: 'approved' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
    const [contained, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(contained!.subject).toMatch(/^Keystop CONTAINED \(escalated\)/);
    expect(contained!.text).toContain('Approved by a responder');
  });

  it('approving again answers that it is contained already and changes nothing', async () => {
    const context = await setUp();
    const { incidentId } = await alertedOn(context, 'guardduty-anomaly-medium');
    await approve(context, incidentId);
    await context.sink.drain();

    const again = await approve(context, incidentId);

    expect(again).toMatchObject({ outcome: 'duplicate' });
    expect(again.explanation).toContain('already contained');
    expect(await context.sink.drain()).toEqual([]);
  });

  it('approving an exempt incident answers that the credential is exempt and changes nothing', async () => {
    const context = await setUp();
    const key = await userWithTwoKeys(context.clients.iam);
    await context.clients.iam.send(new TagUserCommand({ UserName: key.userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));
    const delivery = await context.deliver(
      reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor')),
    );
    expect(delivery.responses[0]).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
    await context.sink.drain();

    const response = await approve(context, delivery.responses[0]!.incident!.id);

    expect(response).toMatchObject({ outcome: 'notified', reason: 'exempt-principal', incident: { source: 'approved' } });
    expect(response.explanation).toMatch(/^approved \(incident .+\), but not contained: the principal is exempt .+; nothing changed$/);
    expect(response.actions.map((a: { type: string; status: string }) => `${a.type}: ${a.status}`)).toEqual([
      'deactivate-access-key: skipped',
      'tag-principal: skipped',
      'notify: done',
      'audit: done',
    ]);
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
    // The approver is told, in the alert, why nothing was contained.
    const [answer, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(answer!.attributes).toMatchObject({ outcome: 'notified' });
    expect(answer!.text).toContain('exempt');
  });

  it('a sample finding is never contained, approved or not', async () => {
    const context = await setUp();
    const { key, incidentId, alert } = await alertedOn(context, 'guardduty-sample');
    expect(alert.text).not.toContain('keystop contain --incident');

    const response = await approve(context, incidentId);

    expect(response.outcome).not.toBe('contained');
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
  });
});

describe('Approve in one step: the Security Hub "Keystop: contain" custom action', () => {
  /** A finding Keystop only alerts on (a MEDIUM anomaly), as GuardDuty wrote it, imported NEW. */
  function anomalyImport(key: { userName: string; leaked: string }, id: string) {
    const event = securityHub([{ userName: key.userName, accessKeyId: key.leaked }], id);
    const [finding] = event.detail.findings;
    finding.Types = ['TTPs/Discovery/Discovery:IAMUser-AnomalousBehavior'];
    finding.FindingProviderFields.Types = finding.Types;
    return event;
  }

  /** The custom action's event for that finding, already in workflow NOTIFIED. */
  function customAction(key: { userName: string; leaked: string }, id: string) {
    const event = anomalyImport(key, id);
    event.id = `${event.id}-action`;
    event['detail-type'] = 'Security Hub Findings - Custom Action';
    event.resources = [`arn:aws:securityhub:us-east-1:${LOCAL_ACCOUNT_ID}:action/custom/KeystopContain`];
    const [finding] = event.detail.findings;
    finding.Workflow = { Status: 'NOTIFIED' };
    event.detail = { actionName: 'Keystop: contain', actionDescription: 'Contain with Keystop', findings: [finding] };
    return event;
  }

  it('contains exactly the key of the selected notify-only finding (decoy untouched) and alerts that it was approved', async () => {
    const context = await setUp();
    const key = await userWithTwoKeys(context.clients.iam);
    const id = uniqueName('action');
    // Keystop alerted on the finding first, asking for approval (ACTION NEEDED).
    expect((await context.deliver(anomalyImport(key, id))).responses[0]).toMatchObject({
      outcome: 'notified',
      reason: 'notify-only-policy',
    });
    await context.sink.drain();

    const delivery = await context.deliver(customAction(key, id));

    expect(delivery.responses[0]).toMatchObject({
      outcome: 'contained',
      policy: 'approved-by-responder',
      incident: { source: 'approved' },
    });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.subject).toMatch(/^Keystop CONTAINED/);
    expect(alert!.text).toContain('Approved by a responder in Security Hub (custom action "Keystop: contain" at ');
    expect(alert!.text).toContain('the event does not name who: look for securityhub.amazonaws.com SendFindingEvents in CloudTrail');
  });

  it('refuses, with an alert, to contain a finding Keystop never asked anyone to approve: the key stays Active', async () => {
    const context = await setUp();
    const key = await userWithTwoKeys(context.clients.iam);

    const delivery = await context.deliver(customAction(key, uniqueName('action')));

    expect(delivery.responses[0]).toMatchObject({ outcome: 'notified', reason: 'approval-refused' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
    const [alert] = await context.sink.drain();
    expect(alert!.subject).toMatch(/^Keystop APPROVAL REFUSED/);
  });

  it('approving a finding a second time, once contained, changes nothing', async () => {
    const context = await setUp();
    const key = await userWithTwoKeys(context.clients.iam);
    const id = uniqueName('action');
    await context.deliver(anomalyImport(key, id));

    const delivery = await context.deliver(customAction(key, id));
    const again = await context.deliver({ ...customAction(key, id), id: uniqueName('again') });

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(again.responses[0]!.outcome).not.toBe('contained');
  });

  it('still holds an exempt principal back: approval goes through the same guardrails', async () => {
    const context = await setUp();
    const key = await userWithTwoKeys(context.clients.iam);
    await context.clients.iam.send(new TagUserCommand({ UserName: key.userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));

    const delivery = await context.deliver(customAction(key, uniqueName('action')));

    expect(delivery.responses[0]).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
  });
});
