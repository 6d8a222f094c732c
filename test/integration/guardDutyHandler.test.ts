import { ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { defaultGuardrails } from '../../src/decide/Guardrails';
import { MalformedEventError } from '../../src/domain/errors';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { releaseContainment } from '../../src/respond/releaseContainment';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { recentlyContained } from '../../src/stores/recentlyContained';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, roundTrips, userWithTwoKeys } from '../support/localAws';

/** The Tor-caller fixture, naming the given key of the given user in the emulator's account. */
function torFinding(userName: string, accessKeyId: string) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  event.detail.resource.accessKeyDetails.userName = userName;
  event.detail.resource.accessKeyDetails.accessKeyId = accessKeyId;
  return event;
}

/** GuardDuty's notification of the finding's later occurrences: the count raised, the update an hour after creation. */
function laterNotification(event: ReturnType<typeof torFinding>) {
  event.detail.service.count = 9;
  event.detail.updatedAt = new Date(Date.parse(event.detail.createdAt) + 3_600_000).toISOString();
  return event;
}

describe('GuardDuty handler against the local AWS emulator', () => {
  it('deactivates exactly the key named in the finding and sends one alert about it', async () => {
    // Prepare
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);

    // Act
    const [response] = await handler(torFinding(userName, leaked), lambdaContext());

    // Assess: IAM state
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(response?.outcome).toBe('contained');
    // Assess: exactly one message reached the subscribed queue, and it says what a responder needs
    const alerts = await sink.drain();
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    for (const fact of [leaked, userName, LOCAL_ACCOUNT_ID, 'UnauthorizedAccess:IAMUser/TorIPCaller', '192.0.2.77']) {
      expect(alert!.text).toContain(fact);
    }
    expect(alert!.text).toContain(`[done] deactivate-access-key ${leaked}: deactivated access key ${leaked} of user ${userName}`);
    expect(alert!.text).not.toContain(decoy);
    expect(alert!.subject).toMatch(/^Keystop CONTAINED: /);
    expect(alert!.subject.length).toBeLessThanOrEqual(100);
    expect(alert!.attributes).toEqual({
      outcome: 'contained',
      severity: 'MEDIUM',
      account: LOCAL_ACCOUNT_ID,
      source: 'guardduty',
      credentialKind: 'long-term-key',
      alertType: 'response',
    });
    // Assess: the queue received the versioned JSON document (the sqs body), which says the same in fields
    expect(alert!.document).toMatchObject({
      schema: 'keystop.alert',
      version: '1.1',
      alertType: 'response',
      incident: { accountId: LOCAL_ACCOUNT_ID, type: 'UnauthorizedAccess:IAMUser/TorIPCaller' },
      credential: { kind: 'long-term-key', accessKeyId: leaked, userName },
      attacker: { sourceIp: '192.0.2.77' },
      response: {
        outcome: 'contained',
        actions: expect.arrayContaining([expect.objectContaining({ type: 'deactivate-access-key', status: 'done', target: leaked })]),
      },
    });
  });

  it('makes the containment call before any other AWS call, with the tag exemption and de-duplication off', async () => {
    const { clients, deps, calls } = await localResponder({ guardrails: { exemptTag: undefined }, state: false });
    const { userName, leaked } = await userWithTwoKeys(clients.iam);

    await makeHandler(guardDutySource, deps)(torFinding(userName, leaked), lambdaContext());

    expect(calls).toEqual(['IAM:UpdateAccessKey', 'IAM:TagUser', 'SNS:Publish', 'EventBridge:PutEvents']);
  });

  // The request order before containment, per mode (bench/RESULTS.md measures the same in round trips): a change
  // that adds a request or a round trip before the write fails here.
  it('waits for one round trip before containing, by default: the claim with the breaker, and the exemption tag', async () => {
    const { clients, deps, calls, requests } = await localResponder();
    const { userName, leaked } = await userWithTwoKeys(clients.iam);

    await makeHandler(guardDutySource, deps)(torFinding(userName, leaked), lambdaContext());

    expect(roundTrips(requests, 'IAM:UpdateAccessKey')).toEqual([
      [
        'DynamoDB:UpdateItem', // claim the credential (conditional: free, and not contained)…
        'DynamoDB:UpdateItem', // …count its principal against the breaker (conditional: room, or counted already)…
        'IAM:GetUser', // …and read the exemption tag and the user's path, all at once
      ],
    ]);
    const containment = calls.indexOf('IAM:UpdateAccessKey');
    expect(calls.slice(containment)).toEqual([
      'IAM:UpdateAccessKey',
      'DynamoDB:GetItem', // the record (escalated? an alert pending?), read while the key is written
      'IAM:TagUser',
      'DynamoDB:GetItem', // what the key made, as the creation log remembers it (followed once the key is cut off)
      'DynamoDB:UpdateItem', // record the containment, its alert pending
      'SNS:Publish',
      'EventBridge:PutEvents', // the audit event
      'DynamoDB:UpdateItem', // record the alert sent, end the attempt
      'DynamoDB:UpdateItem', // append the response to the credential's story (keystop incidents show)
    ]);
  });

  it('with exemptions by name only (no exemption tag), the claim with the breaker is the only request before containing', async () => {
    const { clients, deps, requests } = await localResponder({ guardrails: { exemptTag: undefined } });
    const { userName, leaked } = await userWithTwoKeys(clients.iam);

    await makeHandler(guardDutySource, deps)(torFinding(userName, leaked), lambdaContext());

    expect(roundTrips(requests, 'IAM:UpdateAccessKey')).toEqual([['DynamoDB:UpdateItem', 'DynamoDB:UpdateItem']]);
  });

  // A repeat report of a contained key changes nothing and tells nobody: no IAM request, no alert. A container that
  // answered the credential as contained sends the claim alone, and its refusal carries the record that answers.
  for (const [mode, exemptTag] of [
    ['by name only', undefined],
    ['with the exemption tag', defaultGuardrails.exemptTag],
  ] as const) {
    it(`answers a repeat report of a contained key from its record, one request (exemptions ${mode}): no IAM, no alert`, async () => {
      const { clients, sink, deps, calls } = await localResponder({ guardrails: { exemptTag } });
      const { userName, leaked } = await userWithTwoKeys(clients.iam);
      const handler = makeHandler(guardDutySource, deps);
      await handler(torFinding(userName, leaked), lambdaContext());
      await sink.drain();
      calls.length = 0;

      const [response] = await handler(torFinding(userName, leaked), lambdaContext());

      expect(response).toMatchObject({ outcome: 'duplicate', reason: 'duplicate-report' });
      expect(calls).toEqual(['DynamoDB:UpdateItem']); // the claim, refused with the record
      expect(await sink.drain()).toEqual([]);
      expect((await keyStatuses(clients.iam, userName))[leaked]).toBe('Inactive');
    });
  }

  // In a container that never saw the credential, GuardDuty's later notification is still a likely duplicate (one
  // request); what nothing marks as a repeat (EventBridge delivering the same event twice, to two containers) is sent as
  // a first report is, all at once: the claim's refusal answers, and nothing more is sent (bench/RESULTS.md, section 4).
  for (const [what, reportOf, expected] of [
    ["GuardDuty's later notification of the finding", laterNotification, ['DynamoDB:UpdateItem']],
    [
      'a redelivery of the same event',
      (event: ReturnType<typeof torFinding>) => event,
      ['DynamoDB:UpdateItem', 'DynamoDB:UpdateItem', 'IAM:GetUser'],
    ],
  ] as const) {
    it(`answers ${what} in a container that never saw the credential from its record: no write, no alert`, async () => {
      const { clients, sink, deps, calls } = await localResponder();
      const { userName, leaked } = await userWithTwoKeys(clients.iam);
      await makeHandler(guardDutySource, deps)(torFinding(userName, leaked), lambdaContext());
      await sink.drain();
      calls.length = 0;
      const elsewhere = makeHandler(guardDutySource, { ...deps, recent: recentlyContained() });

      const [response] = await elsewhere(reportOf(torFinding(userName, leaked)), lambdaContext());

      expect(response).toMatchObject({ outcome: 'duplicate', reason: 'duplicate-report' });
      expect(calls).toEqual(expected);
      expect(await sink.drain()).toEqual([]);
    });
  }

  // The memory and the later-notification mark only order requests: a likely duplicate that is not one is contained
  // as a first report is, a round trip later.
  it('contains a key named by a later notification it never contained: the claim first, then the breaker with the tag', async () => {
    const { clients, sink, deps, requests } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const [response] = await makeHandler(guardDutySource, deps)(laterNotification(torFinding(userName, leaked)), lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained' });
    expect(roundTrips(requests, 'IAM:UpdateAccessKey')).toEqual([['DynamoDB:UpdateItem'], ['DynamoDB:UpdateItem', 'IAM:GetUser']]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(await sink.drain()).toHaveLength(1);
  });

  it('contains a released key again on a new report, whatever the container remembers', async () => {
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);
    await handler(torFinding(userName, leaked), lambdaContext());
    await releaseContainment(
      { accessKeyId: leaked },
      { accountId: LOCAL_ACCOUNT_ID, by: 'arn:aws:iam::000000000000:user/oncall', reason: 'rotated' },
      { ...deps, state: deps.state! },
    );
    expect((await keyStatuses(clients.iam, userName))[leaked]).toBe('Active');
    await sink.drain();

    const again = torFinding(userName, leaked);
    again.detail.id = 'a-new-finding-about-the-same-key';
    const [response] = await handler(again, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(await sink.drain()).toHaveLength(1);
  });

  it('reports a key that no longer exists as gone: one alert, no retry, the decoy untouched', async () => {
    const { clients, sink, deps, calls } = await localResponder();
    const { userName, decoy } = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);

    const [response] = await handler(torFinding(userName, 'AKIANOSUCHKEY0000001'), lambdaContext());

    expect(response).toMatchObject({ outcome: 'gone', reason: 'credential-gone' });
    // The critical path writes first: IAM's NoSuchEntity sends the report down the exact path, which finds it gone.
    expect(calls.filter((call) => call === 'IAM:UpdateAccessKey')).toHaveLength(1);
    const [alert, ...others] = await sink.drain();
    expect(others).toHaveLength(0);
    expect(alert!.subject).toMatch(/^Keystop GONE: AKIANOSUCHKEY0000001/);
    expect(alert!.text).toContain('no longer exists in IAM');
    expect(alert!.attributes.outcome).toBe('gone');
    expect((await keyStatuses(clients.iam, userName))[decoy]).toBe('Active');
  });

  it('rejects a malformed finding with an error naming the bad field, acts on nothing, and publishes a FAILED alert', async () => {
    const { sink, deps, calls } = await localResponder();
    const event = torFinding('someone', 'AKIAFIXTURELEAKED001');
    event.detail.accountId = 'not-an-account';
    delete event.detail.resource.accessKeyDetails.userType;

    const invocation = makeHandler(guardDutySource, deps)(event, lambdaContext());

    await expect(invocation).rejects.toBeInstanceOf(MalformedEventError);
    await expect(invocation).rejects.toThrow(/detail\.accountId: must be a 12-digit AWS account id/);
    await expect(invocation).rejects.toThrow(/detail\.resource\.accessKeyDetails\.userType/);
    expect(calls).toEqual(['SNS:Publish']);
    const [alert, ...more] = await sink.drain();
    expect(more).toEqual([]);
    // The same attributes as every other alert: a pager filter {"outcome": ["failed"]} gets it.
    expect(alert!.attributes).toEqual({ outcome: 'failed', severity: 'HIGH', source: 'aws.guardduty', alertType: 'failure' });
    expect(alert!.document).toMatchObject({ alertType: 'failure', response: { outcome: 'failed', reason: 'malformed-event' } });
    expect(alert!.text).toContain('detail.accountId: must be a 12-digit AWS account id');
    expect(alert!.text).not.toContain('not-an-account');
  });

  it('sends no alert for a malformed event that does not claim to come from AWS', async () => {
    const { sink, deps, calls } = await localResponder();
    const event = torFinding('someone', 'AKIAFIXTURELEAKED001');
    (event as any).source = 'acme.tests';

    await expect(makeHandler(guardDutySource, deps)(event, lambdaContext())).rejects.toBeInstanceOf(MalformedEventError);
    expect(calls).toEqual([]);
    expect(await sink.drain()).toEqual([]);
  });

  it('ignores a finding about an EC2 instance without any AWS call', async () => {
    const { deps, calls } = await localResponder();

    const responses = await makeHandler(guardDutySource, deps)(loadFixture('guardduty/ec2-finding.json'), lambdaContext());

    expect(responses).toEqual([expect.objectContaining({ outcome: 'ignored', reason: 'not-a-credential-finding', incident: null })]);
    expect(calls).toEqual([]);
  });

  it('only alerts on a retired baseline anomaly (Recon:IAMUser/ResourcePermissions, severity 5): the key stays Active and the user gets no deny', async () => {
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = torFinding(userName, leaked);
    event.detail.type = 'Recon:IAMUser/ResourcePermissions';
    event.detail.title = `Unusual resource permission reconnaissance activity by ${userName}.`;

    const [response] = await makeHandler(guardDutySource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'notify-only-policy', policy: 'guardduty-other-iam-findings' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect((await clients.iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames).toEqual([]);
    const [alert, ...more] = await sink.drain();
    expect(more).toEqual([]);
    expect(alert!.document.response.explanation).toContain('anomalies below HIGH');
    // The finding's own evidence may say anything; Keystop's reason must not claim a Tor or threat-list address.
    expect(alert!.document.response.explanation).not.toMatch(/\bTor\b|threat list|malicious/i);
  });

  it('contains the same retired anomaly type when GuardDuty rates it HIGH, under the anomaly policy', async () => {
    const { clients, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = torFinding(userName, leaked);
    event.detail.type = 'Recon:IAMUser/ResourcePermissions';
    event.detail.severity = 8;

    const [response] = await makeHandler(guardDutySource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', policy: 'guardduty-anomalous-behavior-high' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
  });

  it('puts no deny policy on a user whose session (ASIA) a retired anomaly type reports at MEDIUM', async () => {
    const { clients, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = torFinding(userName, 'ASIASZ4SI7REEEXAMPLE');
    event.detail.type = 'Recon:IAMUser/UserPermissions';

    const [response] = await makeHandler(guardDutySource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', incident: { credential: { kind: 'user-session' } } });
    expect((await clients.iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames).toEqual([]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('alerts on a critical attack sequence whose actors carry no key (unmapped-signal), quoting the actors, with an audit event', async () => {
    const { sink, deps, calls } = await localResponder();
    const event = loadFixture('guardduty/attack-sequence-compromised-credentials.json');
    for (const actor of event.detail.service.detection.sequence.actors) delete actor.user.credentialUid;

    const responses = await makeHandler(guardDutySource, deps)(event, lambdaContext());

    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({
      outcome: 'notified',
      reason: 'unmapped-signal',
      policy: undefined,
      incident: { credential: { kind: 'unmapped' } },
    });
    expect(responses[0]!.actions.map((a) => `${a.type}:${a.status}`)).toEqual(['notify:done', 'audit:done']);
    expect(calls.filter((c) => c.startsWith('IAM:'))).toEqual([]);
    const [alert, ...more] = await sink.drain();
    expect(more).toEqual([]);
    expect(alert!.attributes).toMatchObject({ outcome: 'notified', credentialKind: 'unmapped', alertType: 'response' });
    expect(alert!.subject).toMatch(/^Keystop ACTION NEEDED: UNIDENTIFIED credential in /);
    expect(alert!.text).toContain('"data-sync", "AIDASEQUENCEUSER0001", "IAMUser"');
    expect(alert!.text).toContain('NEXT STEPS (runbook: unmapped)');
  });
});
