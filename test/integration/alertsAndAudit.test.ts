import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { createAlertSink } from '../../src/local/createAlertSink';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { cloudTrailEnricher } from '../../src/report/activity/Enricher';
import { AuditDetail } from '../../src/report/audit/AuditEvent';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { recordedCloudTrail } from '../support/recordedLookup';

function torFinding(userName: string, accessKeyId: string, severity = 5) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  event.detail.severity = severity;
  event.detail.resource.accessKeyDetails.userName = userName;
  event.detail.resource.accessKeyDetails.accessKeyId = accessKeyId;
  return event;
}

const lookupSettings = { windowHours: 24, regions: ['us-east-1'], maxPagesPerRegion: 10, timeLimitMs: 5_000 };

describe('What the key did, against the local AWS emulator (CloudTrail from a recorded answer)', () => {
  it('looks up the key only after the containment call, and sends the first alert without waiting for a slow lookup', async () => {
    // Prepare: CloudTrail answers no page before the first alert has been published; that alert waits 50 ms at most
    // for the lookup. Waiting for the lookup first would never finish (and time the test out).
    const calls: string[] = [];
    let alertPublished!: () => void;
    const firstAlert = new Promise<void>((resolve) => {
      alertPublished = resolve;
    });
    const { client } = recordedCloudTrail({ holdPage: () => firstAlert, calls });
    const { clients, responderClients, sink, deps } = await localResponder({
      calls,
      enricher: cloudTrailEnricher(
        () => client,
        lookupSettings,
        () => new Date(),
      ),
      activity: { inlineWaitMs: 50 },
    });
    responderClients.sns.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        alertPublished();
        return result;
      },
      { step: 'initialize', name: 'first-alert-published' },
    );
    const { userName, leaked } = await userWithTwoKeys(clients.iam);

    // Act
    const [response] = await makeHandler(guardDutySource, deps)(torFinding(userName, leaked), lambdaContext());

    // Assess: containment first, the first alert before the lookup finished, then the follow-up and the audit
    const aws = calls.filter((call) => !call.startsWith('DynamoDB:'));
    const firstLookup = aws.indexOf('CloudTrail:LookupEvents');
    expect(aws.indexOf('IAM:UpdateAccessKey')).toBeGreaterThanOrEqual(0);
    expect(aws.indexOf('IAM:UpdateAccessKey')).toBeLessThan(firstLookup);
    expect(aws.indexOf('IAM:TagUser')).toBeLessThan(firstLookup);
    expect(aws.slice(firstLookup)).toEqual([
      'CloudTrail:LookupEvents',
      'SNS:Publish', // the first alert, before the lookup's last pages
      'CloudTrail:LookupEvents',
      'CloudTrail:LookupEvents',
      'SNS:Publish', // the follow-up with what the key did
      'EventBridge:PutEvents',
    ]);
    expect(response?.outcome).toBe('contained');
    expect(response?.actions.map((a) => `${a.type}:${a.status}`)).toEqual([
      'deactivate-access-key:done',
      'tag-principal:done',
      'notify:done',
      'notify-activity:done',
      'audit:done',
    ]);
    const [first, followUp, ...others] = await sink.drain();
    expect(others).toEqual([]);
    expect(first!.document.alertType).toBe('response');
    expect(first!.document.activity).toMatchObject({ status: 'pending' });
    expect(first!.text).toContain('WHAT THE KEY DID (CloudTrail)\n  still being looked up; it follows in a second message');
    expect(followUp!.attributes).toMatchObject({ alertType: 'activity', outcome: 'contained' });
    expect(followUp!.document.activity).toMatchObject({ status: 'complete', eventCount: 11, pagesRead: 3 });
    expect(followUp!.text).toContain('iam:CreateUser userName=backup-admin from 192.0.2.77 in us-east-1');
  });

  it('puts what the key did in the first alert when the lookup answers in time: one message', async () => {
    const { client } = recordedCloudTrail();
    const { clients, sink, deps } = await localResponder({
      enricher: cloudTrailEnricher(
        () => client,
        lookupSettings,
        () => new Date(),
      ),
      // Far longer than the recorded answer takes, even on a loaded machine: the wait is a bound, not a delay.
      activity: { inlineWaitMs: 20_000 },
    });
    const { userName, leaked } = await userWithTwoKeys(clients.iam);

    await makeHandler(guardDutySource, deps)(torFinding(userName, leaked), lambdaContext());

    const alerts = await sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.document.activity).toMatchObject({ status: 'complete', eventCount: 11 });
  });

  it('reports a failed lookup as such and still contains and alerts', async () => {
    const { client } = recordedCloudTrail({ pages: [] });
    const { clients, sink, deps } = await localResponder({
      enricher: cloudTrailEnricher(
        () => client,
        lookupSettings,
        () => new Date(),
      ),
    });
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const [response] = await makeHandler(guardDutySource, deps)(torFinding(userName, leaked), lambdaContext());

    expect(response?.outcome).toBe('contained');
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    const [alert] = await sink.drain();
    expect(alert!.document.activity).toMatchObject({ status: 'failed' });
    expect(alert!.text).toMatch(/WHAT THE KEY DID \(CloudTrail\)\n {2}failed: CloudTrail LookupEvents failed/);
  });
});

describe('Alert routing and the audit trail, against the local AWS emulator', () => {
  it('delivers to a queue subscribed with a filter policy on severity only the alerts that match', async () => {
    // Prepare: one queue takes everything, another only HIGH and CRITICAL
    const { clients, sink, deps } = await localResponder();
    const highOnly = await createAlertSink(clients, {
      topicArn: sink.topicArn,
      name: uniqueName('high-only'),
      filterPolicy: { severity: ['HIGH', 'CRITICAL'] },
    });
    const medium = await userWithTwoKeys(clients.iam);
    const high = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);

    // Act
    await handler(torFinding(medium.userName, medium.leaked, 5), lambdaContext());
    await handler(torFinding(high.userName, high.leaked, 8), lambdaContext());

    // Assess
    const everything = await sink.drain();
    const filtered = await highOnly.drain();
    expect(everything.map((a) => a.attributes.severity).sort()).toEqual(['HIGH', 'MEDIUM']);
    expect(filtered).toHaveLength(1);
    expect(filtered[0]!.attributes.severity).toBe('HIGH');
    expect(filtered[0]!.document.credential?.accessKeyId).toBe(high.leaked);
  });

  it('publishes every response to the audit bus, where a rule delivers it to a queue', async () => {
    // Prepare: an audit bus with a rule for Keystop's contained responses, targeting a queue
    const { clients } = await localResponder();
    const bus = uniqueName('keystop-audit');
    const events = await clients.eventsClient();
    await events.send(new CreateEventBusCommand({ Name: bus }));
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: uniqueName('audit-sink') }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const rule = uniqueName('keystop-contained');
    await events.send(
      new PutRuleCommand({
        Name: rule,
        EventBusName: bus,
        EventPattern: JSON.stringify({
          source: ['keystop'],
          'detail-type': ['Keystop Incident Response'],
          detail: { outcome: ['contained'] },
        }),
      }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 'audit-queue', Arn: Attributes!.QueueArn }] }),
    );
    const { deps } = await localResponder({ auditBus: bus });
    const { userName, leaked } = await userWithTwoKeys(clients.iam);

    // Act
    await makeHandler(guardDutySource, deps)(torFinding(userName, leaked), lambdaContext());

    // Assess
    const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(Messages).toHaveLength(1);
    const event = JSON.parse(Messages[0]!.Body!);
    expect(event).toMatchObject({ source: 'keystop', 'detail-type': 'Keystop Incident Response' });
    const detail = AuditDetail.parse(event.detail);
    expect(detail).toMatchObject({
      schema: 'keystop.audit',
      version: '1.1',
      outcome: 'contained',
      reason: 'matched',
      policy: 'guardduty-key-used-by-attacker',
      credential: { kind: 'long-term-key', accessKeyId: leaked, userName },
      activity: { status: 'unavailable' },
    });
    expect(detail.actions.map((a) => `${a.type}:${a.status}`)).toEqual(['deactivate-access-key:done', 'tag-principal:done', 'notify:done']);
  });
});
