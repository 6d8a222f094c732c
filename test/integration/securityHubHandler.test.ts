import { CreateRoleCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { securityHubSource } from '../../src/sources/securityHubSource';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { iamAndSns, keyStatuses, localResponder, roundTrips, uniqueName, userWithTwoKeys } from '../support/localAws';
import { securityHub } from '../support/reports';

/** A Security Hub fixture about the emulator's account, with every name replaced as given. */
function batch(fixture: string, replacements: Record<string, string>) {
  let text = JSON.stringify(loadFixture(`security-hub/${fixture}`))
    .split('111122223333')
    .join(LOCAL_ACCOUNT_ID);
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  return JSON.parse(text);
}

describe('Security Hub handler against the local AWS emulator', () => {
  it('contains every credential of a batch with two new findings: the key is deactivated, the role session revoked', async () => {
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const roleName = uniqueName('web-tier');
    await clients.iam.send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    );
    const event = batch('two-new-guardduty-key-findings.json', {
      AKIASECHUBLEAKED0001: leaked,
      'report-exporter': userName,
      '"web-tier"': `"${roleName}"`,
    });

    const responses = await makeHandler(securityHubSource, deps)(event, lambdaContext());

    expect(responses.map((r) => [r.outcome, r.incident?.credential.kind])).toEqual([
      ['contained', 'long-term-key'],
      ['contained', 'role-session'],
    ]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    const { PolicyNames } = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    expect(PolicyNames).toEqual(['keystop-revoke-older-sessions']);
    const alerts = await sink.drain();
    expect(alerts.map((a) => a.attributes.source)).toEqual(['security-hub', 'security-hub']);
  });

  // Whoever may import findings writes ProductFields and the dates: a finding made to look like GuardDuty's later
  // notification of itself only sends the claim first (docs/state-machine.md, "A likely duplicate asks first").
  it('contains a key named by an import forged to look like a later notification: the mark orders requests, never decides', async () => {
    const { clients, sink, deps, requests } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = batch('two-new-guardduty-key-findings.json', { AKIASECHUBLEAKED0001: leaked, 'report-exporter': userName });
    const [finding] = event.detail.findings;
    finding.ProductFields['aws/guardduty/service/count'] = '1e9';
    finding.CreatedAt = '1970-01-01T00:00:00.000Z';
    event.detail.findings = [finding];

    const responses = await makeHandler(securityHubSource, deps)(event, lambdaContext());

    expect(responses).toEqual([expect.objectContaining({ outcome: 'contained', incident: expect.objectContaining({ repeated: true }) })]);
    expect(roundTrips(requests, 'IAM:UpdateAccessKey')).toEqual([['DynamoDB:UpdateItem'], ['DynamoDB:UpdateItem', 'IAM:GetUser']]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(await sink.drain()).toHaveLength(1);
  });

  it('does nothing, and calls no AWS API, for an update of a finding that is no longer NEW', async () => {
    const { clients, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = batch('notified-update.json', { AKIASECHUBLEAKED0001: leaked, 'report-exporter': userName });

    const responses = await makeHandler(securityHubSource, deps)(event, lambdaContext());

    expect(responses).toEqual([expect.objectContaining({ outcome: 'ignored', reason: 'finding-not-new', incident: null })]);
    expect(calls).toEqual([]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('only alerts when Security Hub lost the key id, leaving every key of the user active', async () => {
    const { clients, sink, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = batch('key-unknown-user-only.json', { 'ops-admin': userName });

    const [response] = await makeHandler(securityHubSource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', policy: 'user-named-without-key-alert-only' });
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    const [alert] = await sink.drain();
    expect(alert!.attributes.credentialKind).toBe('iam-user');
  });
});

describe('The attacker edits Security Hub findings (BatchUpdateFindings), against the local AWS emulator', () => {
  /** A LOW GuardDuty finding about a key, as GuardDuty wrote it, then retyped by the attacker to TorIPCaller, NEW. */
  function retypedLowFinding(key: { userName: string; accessKeyId: string }, id: string) {
    const event = securityHub([key], id);
    const finding = event.detail.findings[0];
    const provided = ['Software and Configuration Checks/Stealth:IAMUser-CloudTrailLoggingDisabled'];
    finding.FindingProviderFields = { Types: provided, Severity: { Label: 'LOW', Original: '2' } };
    finding.Types = ['TTPs/Command and Control/UnauthorizedAccess:IAMUser-TorIPCaller'];
    finding.Severity = { Label: 'HIGH', Normalized: 70, Original: '2' };
    finding.Workflow = { Status: 'NEW' };
    return event;
  }

  it("retyped LOW findings about other users' keys contain no one and fill no breaker; the attacker's own key is then contained", async () => {
    const { clients, deps } = await localResponder({ state: { breakerLimit: 2 } });
    const handler = makeHandler(securityHubSource, deps);
    const victims = [await userWithTwoKeys(clients.iam), await userWithTwoKeys(clients.iam)];
    const attacker = await userWithTwoKeys(clients.iam);

    const retyped = [];
    for (const [i, victim] of victims.entries()) {
      retyped.push(
        ...(await handler(
          retypedLowFinding({ userName: victim.userName, accessKeyId: victim.leaked }, uniqueName(`retyped-${i}`)),
          lambdaContext(),
        )),
      );
    }
    const [own] = await handler(
      securityHub([{ userName: attacker.userName, accessKeyId: attacker.leaked }], uniqueName('tor')),
      lambdaContext(),
    );

    expect(retyped.map((r) => r.outcome)).toEqual(['notified', 'notified']);
    for (const victim of victims) {
      expect(await keyStatuses(clients.iam, victim.userName)).toEqual({ [victim.leaked]: 'Active', [victim.decoy]: 'Active' });
    }
    expect(own).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(clients.iam, attacker.userName)).toEqual({ [attacker.leaked]: 'Inactive', [attacker.decoy]: 'Active' });
  });

  it('a caller-written note with UpdatedBy keystop does not make a NEW finding ignored', async () => {
    const { clients, deps } = await localResponder();
    const key = await userWithTwoKeys(clients.iam);
    const event = securityHub([{ userName: key.userName, accessKeyId: key.leaked }], uniqueName('noted'));
    const finding = event.detail.findings[0];
    finding.Note = { Text: 'Keystop: contained', UpdatedBy: 'keystop', UpdatedAt: finding.UpdatedAt };

    const [response] = await makeHandler(securityHubSource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
  });
});
