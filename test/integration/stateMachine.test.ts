import {
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetUserPolicyCommand,
  ListRolePoliciesCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/revokeSessions';
import { CredentialBusyError, type IncompleteResponseError } from '../../src/domain/errors';
import { credentialKey } from '../../src/domain/identifiers';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { containHeld } from '../../src/respond/containHeld';
import { lambdaHarness } from '../support/lambdaHarness';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { type ReportKind, reportAbout, securityHub } from '../support/reports';
import { isoAt } from '../support/testClock';

/** A responder on the emulator, run through Lambda's retries with faults and a clock the test moves. */
async function setUp(options: Parameters<typeof localResponder>[0] = {}) {
  const local = await localResponder(options);
  const { iam, sns, dynamodb } = local.responderClients;
  const lambda = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb });
  return { ...local, ...lambda };
}

const subjects = (alerts: { subject: string }[]) => alerts.map((a) => a.subject.replace(/:.*$/, ''));

describe('The per-credential state machine, against the emulator (issue 11 reproductions)', () => {
  describe('1. a weaker report first does not blind Keystop to a stronger one', () => {
    const sequences: [ReportKind, ReportKind][] = [
      ['guardduty-stealth', 'guardduty-tor'],
      ['guardduty-anomaly-medium', 'guardduty-tor'],
      ['guardduty-sample', 'guardduty-tor'],
      ['health-suspected', 'health-exposed'],
    ];
    it.each(sequences)('%s then %s: alerted, then contained (escalated), one alert each', async (weak, strong) => {
      const { clients, deliver, sink } = await setUp();
      const key = await userWithTwoKeys(clients.iam);
      const ref = { userName: key.userName, accessKeyId: key.leaked };

      const first = await deliver(reportAbout(weak, ref, uniqueName('weak')));
      const second = await deliver(reportAbout(strong, ref, uniqueName('strong')));

      expect(first.responses[0]).toMatchObject({ outcome: 'notified' });
      expect(second.responses[0]).toMatchObject({ outcome: 'contained', reason: 'escalated' });
      expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
      const alerts = await sink.drain();
      expect(alerts.map((a) => a.attributes.outcome)).toEqual(['notified', 'contained']);
      expect(alerts[1]!.subject).toMatch(/^Keystop CONTAINED \(escalated\)/);
    });
  });

  describe('2. a retry after a time-out is never taken for a duplicate', () => {
    it('UpdateAccessKey hangs: the retry a minute later takes the attempt over, contains and alerts once', async () => {
      const { clients, deliver, arm, sink } = await setUp();
      const key = await userWithTwoKeys(clients.iam);
      arm({ call: 'IAM:UpdateAccessKey', kind: 'hang' });

      const delivery = await deliver(reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor')));

      expect(delivery).toMatchObject({ succeeded: true, attempts: 2 });
      expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
      expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
      expect(subjects(await sink.drain())).toEqual(['Keystop CONTAINED']);
    });

    it('the alert hangs after containment: the retry sends the alert that was pending, without containing again', async () => {
      const { clients, deliver, arm, sink, calls } = await setUp();
      const key = await userWithTwoKeys(clients.iam);
      arm({ call: 'SNS:Publish', kind: 'hang' });

      const delivery = await deliver(reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor')));

      expect(delivery).toMatchObject({ succeeded: true, attempts: 2 });
      expect(calls.filter((c) => c === 'IAM:UpdateAccessKey')).toHaveLength(1);
      expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
      expect(subjects(await sink.drain())).toEqual(['Keystop CONTAINED']);
    });

    it('a retry that arrives while the attempt still holds its lease fails (to be retried), it does not answer "duplicate"', async () => {
      const { clients, once, arm, clock, deliver, sink } = await setUp();
      const key = await userWithTwoKeys(clients.iam);
      const event = reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor'));
      arm({ call: 'IAM:UpdateAccessKey', kind: 'hang' });
      await once(event);

      clock.advance(20_000);
      const early = await once(event);
      const later = await deliver(event);

      expect(early).toMatchObject({ ok: false });
      const error = (early as { error: unknown }).error as IncompleteResponseError;
      expect(error.failures[0]).toBeInstanceOf(CredentialBusyError);
      expect(later.responses[0]).toMatchObject({ outcome: 'contained' });
      expect(subjects(await sink.drain())).toEqual(['Keystop CONTAINED']);
    });
  });

  describe('3. each incident of an event stands alone', () => {
    it('a batch whose first finding names a deleted key still contains the live key of the second', async () => {
      const { clients, deliver, sink } = await setUp();
      const gone = await userWithTwoKeys(clients.iam);
      await clients.iam.send(new DeleteAccessKeyCommand({ UserName: gone.userName, AccessKeyId: gone.leaked }));
      const live = await userWithTwoKeys(clients.iam);

      const delivery = await deliver(
        securityHub(
          [
            { userName: gone.userName, accessKeyId: gone.leaked },
            { userName: live.userName, accessKeyId: live.leaked },
          ],
          uniqueName('batch'),
        ),
      );

      expect(delivery.succeeded).toBe(true);
      expect(delivery.responses.map((r) => r.outcome)).toEqual(['gone', 'contained']);
      expect(await keyStatuses(clients.iam, live.userName)).toEqual({ [live.leaked]: 'Inactive', [live.decoy]: 'Active' });
      expect(await keyStatuses(clients.iam, gone.userName)).toEqual({ [gone.decoy]: 'Active' });
      expect((await sink.drain()).map((a) => a.attributes.outcome).sort()).toEqual(['contained', 'gone']);
    });

    it('a member that keeps failing fails the invocation once; the others are contained once, and the retries redo only it', async () => {
      const { clients, deliver, arm, sink, requests } = await setUp();
      const failing = await userWithTwoKeys(clients.iam);
      const live = await userWithTwoKeys(clients.iam);
      arm({ call: 'IAM:UpdateAccessKey', kind: 'throttle', times: 99, when: (input) => input.AccessKeyId === failing.leaked });

      const delivery = await deliver(
        securityHub(
          [
            { userName: failing.userName, accessKeyId: failing.leaked },
            { userName: live.userName, accessKeyId: live.leaked },
          ],
          uniqueName('batch'),
        ),
      );

      expect(delivery).toMatchObject({ succeeded: false, attempts: 3 });
      expect(await keyStatuses(clients.iam, live.userName)).toEqual({ [live.leaked]: 'Inactive', [live.decoy]: 'Active' });
      const writes = requests.filter((r) => r.call === 'IAM:UpdateAccessKey').map((r) => r.input.AccessKeyId);
      expect(writes.filter((k) => k === live.leaked)).toHaveLength(1);
      const alerts = await sink.drain();
      expect(alerts.filter((a) => a.subject.includes(live.leaked)).map((a) => a.attributes.outcome)).toEqual(['contained']);
      expect(alerts.filter((a) => a.subject.includes(failing.leaked)).map((a) => a.attributes.outcome)).toEqual([
        'failed',
        'failed',
        'failed',
      ]);
    });
  });

  describe('4. Keystop ignores its own echoes from Security Hub', () => {
    it('an import caused by its own note is recognised by the credential record, takes no breaker slot and no alert; a note alone makes nothing ignored', async () => {
      const { clients, deliver, deps, sink } = await setUp();
      const key = await userWithTwoKeys(clients.iam);
      const finding = securityHub([{ userName: key.userName, accessKeyId: key.leaked }], uniqueName('echo'));
      const now = deps.now().getTime();
      finding.detail.findings[0].UpdatedAt = isoAt(now, -3600_000);

      // A note written by anyone allowed BatchUpdateFindings, naming Keystop, on a finding Keystop never answered.
      const forged = structuredClone(finding);
      forged.detail.findings[0].Note = { Text: 'Keystop: contained', UpdatedBy: 'keystop', UpdatedAt: isoAt(now, -3595_000) };
      const first = await deliver(forged);
      // Keystop's own note re-fires the same finding, unchanged by GuardDuty, three times.
      const echoes = [];
      for (let i = 0; i < 3; i++) echoes.push(await deliver({ ...forged, id: `echo-${i}` }));

      expect(first.responses[0]).toMatchObject({ outcome: 'contained' });
      for (const delivery of echoes) expect(delivery.responses[0]).toMatchObject({ outcome: 'duplicate' });
      expect((await deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, deps.now())).count).toBe(1);
      expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
      expect((await sink.drain()).map((a) => a.attributes.outcome)).toEqual(['contained']);
    });

    it('an echo of a finding whose containment failed is not attempted again: no note, echo, attempt loop', async () => {
      const { clients, deliver, arm, sink } = await setUp();
      const key = await userWithTwoKeys(clients.iam);
      const finding = securityHub([{ userName: key.userName, accessKeyId: key.leaked }], uniqueName('failed'));
      arm({ call: 'IAM:UpdateAccessKey', kind: 'denied', times: 99 });

      const failed = await deliver(finding);
      const noted = structuredClone(finding);
      noted.id = uniqueName('echo');
      noted.detail.findings[0].Note = { Text: 'Keystop failed', UpdatedBy: 'keystop', UpdatedAt: noted.detail.findings[0].UpdatedAt };
      const echo = await deliver(noted);

      expect(failed.responses[0]).toMatchObject({ outcome: 'failed' });
      expect(echo.responses[0]).toMatchObject({ outcome: 'duplicate' });
      expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
      expect((await sink.drain()).filter((a) => a.attributes.outcome === 'failed').length).toBe(1);
    });
  });

  describe('5. the breaker counts principals, gives back failed slots, and never turns a held incident into a duplicate', () => {
    it('eleven sessions of one role take one slot: all are denied, the breaker stays closed', async () => {
      const { clients, deliver, deps } = await setUp({ state: { breakerLimit: 2 } });
      const roleName = uniqueName('web-tier');
      await clients.iam.send(
        new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
      );

      const outcomes = [];
      for (let i = 0; i < 11; i++) {
        const event = loadFixture('guardduty/role-session-exfiltration.json');
        event.id = uniqueName('session');
        Object.assign(event.detail, { id: uniqueName('finding'), accountId: LOCAL_ACCOUNT_ID });
        Object.assign(event.detail.resource.accessKeyDetails, {
          userName: roleName,
          accessKeyId: `ASIAROLESESSION${String(i).padStart(5, '0')}`,
        });
        outcomes.push((await deliver(event)).responses[0]!.outcome);
      }

      expect(outcomes).toEqual(Array(11).fill('contained'));
      expect(await deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, deps.now())).toMatchObject({
        count: 1,
        open: false,
        principals: [`role/${roleName}`],
      });
      const { PolicyNames } = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
      expect(PolicyNames).toEqual(['keystop-revoke-older-sessions']);
    });

    it('a credential newly held is alerted, even after a weaker report was', async () => {
      const { clients, deliver, sink } = await setUp({ state: { breakerLimit: 1 } });
      const [first, second] = [await userWithTwoKeys(clients.iam), await userWithTwoKeys(clients.iam)];
      await deliver(reportAbout('guardduty-tor', { userName: first.userName, accessKeyId: first.leaked }, uniqueName('tor')));
      const ref = { userName: second.userName, accessKeyId: second.leaked };

      await deliver(reportAbout('guardduty-stealth', ref, uniqueName('stealth')));
      const held = await deliver(reportAbout('guardduty-tor', ref, uniqueName('tor')));

      expect(held.responses[0]).toMatchObject({ outcome: 'notified', reason: 'breaker-open' });
      const alerts = (await sink.drain()).filter((a) => a.subject.includes(second.leaked));
      expect(alerts.map((a) => a.subject.replace(/:.*$/, ''))).toEqual(['Keystop ACTION NEEDED', 'Keystop HELD by the breaker']);
    });

    it('a failed attempt of a principal already counted does not give the principal back', async () => {
      const { clients, deliver, arm, deps } = await setUp({ state: { breakerLimit: 5 } });
      const user = await userWithTwoKeys(clients.iam);
      await deliver(reportAbout('guardduty-tor', { userName: user.userName, accessKeyId: user.leaked }, uniqueName('tor')));
      arm({ call: 'IAM:UpdateAccessKey', kind: 'throttle', times: 99 });

      const second = await deliver(reportAbout('guardduty-tor', { userName: user.userName, accessKeyId: user.decoy }, uniqueName('tor')));

      expect(second.succeeded).toBe(false);
      expect(await deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, deps.now())).toMatchObject({
        count: 1,
        principals: [`user/${user.userName}`],
      });
    });

    it('a failed attempt gives its slot back', async () => {
      const { clients, deliver, arm, deps } = await setUp({ state: { breakerLimit: 2 } });
      const key = await userWithTwoKeys(clients.iam);
      arm({ call: 'IAM:UpdateAccessKey', kind: 'throttle', times: 99 });

      const delivery = await deliver(reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor')));

      expect(delivery.succeeded).toBe(false);
      expect((await deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, deps.now())).count).toBe(0);
    });

    it('a held incident is never a duplicate: after the reset the next report contains it, and --contain-held contains the others', async () => {
      const { clients, deliver, deps, sink } = await setUp({ state: { breakerLimit: 1 } });
      const [first, held, alsoHeld] = [
        await userWithTwoKeys(clients.iam),
        await userWithTwoKeys(clients.iam),
        await userWithTwoKeys(clients.iam),
      ];
      const ref = (k: typeof first) => ({ userName: k.userName, accessKeyId: k.leaked });

      await deliver(reportAbout('guardduty-tor', ref(first), uniqueName('tor')));
      const heldOnce = await deliver(reportAbout('guardduty-tor', ref(held), uniqueName('tor')));
      const heldAgain = await deliver(reportAbout('health-exposed', ref(held), uniqueName('exposed')));
      await deliver(reportAbout('guardduty-tor', ref(alsoHeld), uniqueName('tor')));
      await deps.state!.resetBreaker(LOCAL_ACCOUNT_ID);
      const afterReset = await deliver(reportAbout('guardduty-tor', ref(held), uniqueName('tor')));
      await deps.state!.resetBreaker(LOCAL_ACCOUNT_ID);
      const [contained] = await containHeld(LOCAL_ACCOUNT_ID, { ...deps, state: deps.state! });

      expect(heldOnce.responses[0]).toMatchObject({ outcome: 'notified', reason: 'breaker-open' });
      expect(heldAgain.responses[0]).toMatchObject({ outcome: 'notified', reason: 'still-held' });
      expect(afterReset.responses[0]).toMatchObject({ outcome: 'contained', reason: 'escalated' });
      expect(contained).toMatchObject({ outcome: 'contained', reason: 'escalated' });
      for (const k of [first, held, alsoHeld]) {
        expect(await keyStatuses(clients.iam, k.userName)).toEqual({ [k.leaked]: 'Inactive', [k.decoy]: 'Active' });
      }
      const alerts = await sink.drain();
      expect(alerts.filter((a) => a.subject.includes(held.leaked)).map((a) => a.subject.replace(/:.*$/, ''))).toEqual([
        'Keystop HELD by the breaker',
        'Keystop CONTAINED (escalated)',
      ]);
    });
  });

  describe('6. permanent failures are not retried', () => {
    it('a deleted key ends "gone": one alert, the invocation succeeds (no retry, no page)', async () => {
      const { clients, deliver, sink } = await setUp();
      const key = await userWithTwoKeys(clients.iam);
      await clients.iam.send(new DeleteAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.leaked }));

      const delivery = await deliver(reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor')));

      expect(delivery).toMatchObject({ succeeded: true, attempts: 1 });
      expect(delivery.responses[0]).toMatchObject({ outcome: 'gone', reason: 'credential-gone' });
      expect((await sink.drain()).map((a) => a.attributes.outcome)).toEqual(['gone']);
      expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.decoy]: 'Active' });
    });

    it('AccessDenied (an SCP) gives one FAILED alert naming the cause and no retry loop', async () => {
      const { clients, deliver, arm, sink } = await setUp();
      const key = await userWithTwoKeys(clients.iam);
      arm({ call: 'IAM:UpdateAccessKey', kind: 'denied', times: 99 });

      const delivery = await deliver(reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor')));

      expect(delivery).toMatchObject({ succeeded: true, attempts: 1 });
      expect(delivery.responses[0]).toMatchObject({ outcome: 'failed', reason: 'access-denied' });
      const [alert, ...more] = await sink.drain();
      expect(more).toEqual([]);
      expect(alert!.subject).toMatch(/^Keystop containment REFUSED by IAM/);
      expect(alert!.text).toContain('service control policy');
    });
  });

  // While the tamper guard watches a contained key, a repeat report is answered from the record (one request): the
  // guard puts a re-enabled key back on IAM's own CloudTrail event (tamperGuard.test.ts). Without the guard (or past
  // its window), the repeat path reads the key's status, as these show.
  describe('7. the repeat path decides on current facts (no tamper guard watching)', () => {
    it('a key a responder re-enabled and exempted stays Active when reported again, and responders are told once', async () => {
      const { clients, deliver, sink } = await setUp({ guardWindowMs: 0 });
      const key = await userWithTwoKeys(clients.iam);
      const ref = { userName: key.userName, accessKeyId: key.leaked };
      await deliver(reportAbout('guardduty-tor', ref, uniqueName('tor')));
      await clients.iam.send(new UpdateAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.leaked, Status: 'Active' }));
      await clients.iam.send(new TagUserCommand({ UserName: key.userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));

      const again = await deliver(reportAbout('guardduty-tor', ref, uniqueName('tor-again')));
      const third = await deliver(reportAbout('health-exposed', ref, uniqueName('exposed')));

      expect(again.responses[0]).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
      expect(again.responses[0]!.explanation).toContain('is Active again, and Keystop leaves it so');
      expect(third.responses[0]).toMatchObject({ outcome: 'duplicate' });
      expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
      expect(subjects(await sink.drain())).toEqual(['Keystop CONTAINED', 'Keystop EXEMPT']);
    });

    it('a key re-enabled without an exemption is contained again, with an alert that says so', async () => {
      const { clients, deliver, sink } = await setUp({ guardWindowMs: 0 });
      const key = await userWithTwoKeys(clients.iam);
      const ref = { userName: key.userName, accessKeyId: key.leaked };
      await deliver(reportAbout('guardduty-tor', ref, uniqueName('tor')));
      await clients.iam.send(new UpdateAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.leaked, Status: 'Active' }));

      const again = await deliver(reportAbout('health-exposed', ref, uniqueName('exposed')));

      expect(again.responses[0]).toMatchObject({ outcome: 'contained', reason: 'key-re-enabled' });
      expect(await keyStatuses(clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
      expect(subjects(await sink.drain())).toEqual(['Keystop CONTAINED', 'Keystop RE-CONTAINED']);
    });
  });

  describe("8. the key's real owner decides, not the user an event names", () => {
    it('deactivates the key in its owner, tags the owner, leaves the named user alone, and says so', async () => {
      const { clients, deliver, sink } = await setUp();
      const owner = await userWithTwoKeys(clients.iam);
      const named = await userWithTwoKeys(clients.iam);

      const delivery = await deliver(
        reportAbout('health-exposed', { userName: named.userName, accessKeyId: owner.leaked }, uniqueName('exposed')),
      );

      expect(delivery.responses[0]!.incident!.credential).toMatchObject({ userName: owner.userName });
      expect(await keyStatuses(clients.iam, owner.userName)).toEqual({ [owner.leaked]: 'Inactive', [owner.decoy]: 'Active' });
      expect(await keyStatuses(clients.iam, named.userName)).toEqual({ [named.leaked]: 'Active', [named.decoy]: 'Active' });
      const [alert] = await sink.drain();
      expect(alert!.text).toContain(`the report named user ${named.userName}, but IAM says the key belongs to ${owner.userName}`);
    });

    it("reads the exemption tag from the real owner: an exempt owner's key stays Active", async () => {
      const { clients, deliver } = await setUp();
      const owner = await userWithTwoKeys(clients.iam);
      const named = await userWithTwoKeys(clients.iam);
      await clients.iam.send(new TagUserCommand({ UserName: owner.userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));

      const delivery = await deliver(
        reportAbout('guardduty-tor', { userName: named.userName, accessKeyId: owner.leaked }, uniqueName('tor')),
      );

      expect(delivery.responses[0]).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
      expect(await keyStatuses(clients.iam, owner.userName)).toEqual({ [owner.leaked]: 'Active', [owner.decoy]: 'Active' });
      expect(await keyStatuses(clients.iam, named.userName)).toEqual({ [named.leaked]: 'Active', [named.decoy]: 'Active' });
    });
  });

  it('a record written before the state machine is read back after a deploy: a contained key stays a duplicate', async () => {
    const { clients, deliver, tableName, sink, clock } = await setUp();
    const key = await userWithTwoKeys(clients.iam);
    const event = reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor'));
    const incidentKey = credentialKey({
      accountId: LOCAL_ACCOUNT_ID,
      credential: { kind: 'long-term-key', accessKeyId: key.leaked },
    } as never);
    await clients.iam.send(new UpdateAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.leaked, Status: 'Inactive' }));
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    const legacyResponse = {
      outcome: 'contained',
      reason: 'matched',
      explanation: 'contained before the upgrade',
      policy: 'guardduty-key-used-by-attacker',
      actions: [],
      incident: { id: 'guardduty:legacy', accountId: LOCAL_ACCOUNT_ID, credential: { kind: 'long-term-key', accessKeyId: key.leaked } },
    };
    await clients.dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: incidentKey },
          incidentId: { S: 'guardduty:legacy' },
          state: { S: 'responded' },
          alertSent: { BOOL: true },
          leaseUntil: { N: '0' },
          // Inside the window: half a day from the harness's now.
          expiresAt: { N: String(clock.now() + 12 * 3600_000) },
          response: { S: JSON.stringify(legacyResponse) },
        },
      }),
    );

    const delivery = await deliver(event);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'duplicate' });
    expect(await sink.drain()).toEqual([]);
  });
});

describe("The state machine and a session cut-off (Keystop's deny on aws:TokenIssueTime)", () => {
  /** A GuardDuty finding about the user's console session (no access key id), activity last seen at `seenAt`. */
  function consoleFinding(userName: string, id: string, seenAt: Date) {
    const event = reportAbout('guardduty-tor', { userName, accessKeyId: 'unused' }, id);
    delete event.detail.resource.accessKeyDetails.accessKeyId;
    event.detail.service.eventLastSeen = seenAt.toISOString();
    return event;
  }
  const cutOffOf = async (iam: Parameters<typeof keyStatuses>[0], userName: string) => {
    const { PolicyDocument } = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: REVOKE_POLICY_NAME }));
    return JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0].Condition.DateLessThan['aws:TokenIssueTime'] as string;
  };

  it('cuts off again a session issued after the cut-off, and only that: earlier activity stays a duplicate', async () => {
    const { clients, deliver, clock, sink } = await setUp();
    const userName = uniqueName('console');
    await clients.iam.send(new CreateUserCommand({ UserName: userName }));
    const first = new Date(clock.now());

    const contained = await deliver(consoleFinding(userName, uniqueName('tor'), first));
    expect(contained.responses[0]).toMatchObject({ outcome: 'contained', incident: { credential: { kind: 'user-session' } } });
    expect(await cutOffOf(clients.iam, userName)).toBe(first.toISOString());

    // The finding published again about activity before the cut-off: the deny already covers that session.
    clock.advance(30 * 60_000);
    const old = await deliver(consoleFinding(userName, uniqueName('tor'), new Date(first.getTime() - 60_000)));
    expect(old.responses[0]).toMatchObject({ outcome: 'duplicate' });

    // Hours later, activity after the cut-off: a session issued since, which the deny does not reach.
    clock.advance(6 * 3600_000);
    const later = new Date(clock.now());
    const event = consoleFinding(userName, uniqueName('tor'), new Date(later.getTime() - 120_000));
    const again = await deliver(event);
    expect(again.responses[0]).toMatchObject({ outcome: 'contained', reason: 'session-after-cutoff' });
    expect(await cutOffOf(clients.iam, userName)).toBe(later.toISOString());

    // The same report delivered again is before the new cut-off: a duplicate.
    const redelivered = await deliver(event);
    expect(redelivered.responses[0]).toMatchObject({ outcome: 'duplicate' });

    expect(subjects(await sink.drain())).toEqual(['Keystop SESSIONS DENIED', 'Keystop RE-CONTAINED (new session)']);
  });

  // A session named by its key has a record of its own (its next session is a new key): later activity reported about
  // a key Keystop contained (denied calls of an old session, say) changes nothing.
  it('answers later activity about a contained key as a duplicate: the cut-off is for sessions sharing one record', async () => {
    const { clients, deliver, clock, sink } = await setUp();
    const key = await userWithTwoKeys(clients.iam);
    const ref = { userName: key.userName, accessKeyId: key.leaked };
    await deliver(reportAbout('guardduty-tor', ref, uniqueName('tor')));

    clock.advance(6 * 3600_000);
    const later = reportAbout('guardduty-tor', ref, uniqueName('tor'));
    later.detail.service.eventLastSeen = new Date(clock.now() - 120_000).toISOString();
    const again = await deliver(later);

    expect(again.responses[0]).toMatchObject({ outcome: 'duplicate' });
    expect(subjects(await sink.drain())).toEqual(['Keystop CONTAINED']);
  });
});

describe('keystop sandbox over a sequence of files', () => {
  it('shows what the state machine did with each: alerted, escalated, duplicate', async () => {
    const { runSandbox } = await import('../../src/cli/sandbox/runSandbox');
    const { awsEndpoint } = await import('../support/localAws');
    const key = { userName: 'build-bot', accessKeyId: 'AKIAFIXTURELEAKED001' };

    const reports = await runSandbox(
      [
        { name: 'stealth.json', event: reportAbout('guardduty-stealth', key, 'sandbox-stealth') },
        { name: 'tor.json', event: reportAbout('guardduty-tor', key, 'sandbox-tor') },
        { name: 'tor-again.json', event: reportAbout('health-exposed', key, 'sandbox-exposed') },
      ],
      { endpoint: awsEndpoint() },
    );

    expect(reports.map((r) => `${r.outcome} (${r.reason})`)).toEqual([
      'notified (notify-only-policy)',
      'contained (escalated)',
      'duplicate (duplicate-report)',
    ]);
    expect(reports.map((r) => r.notifications.length)).toEqual([1, 1, 0]);
  });
});
