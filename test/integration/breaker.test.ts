import { DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { ResponsePolicy } from '../../src/decide/ResponsePolicy';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
import { lambdaHarness } from '../support/lambdaHarness';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';
import { runCli } from '../support/runCli';

function torFinding(userName: string, accessKeyId: string, id: string) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.id = id;
  event.detail.id = id;
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId });
  return event;
}

describe('Blast-radius breaker (DynamoDB, against the emulator)', () => {
  it('opens at the configured count: later incidents only alert, one breaker alert is sent, and reset closes it', async () => {
    // Prepare: at most 3 automatic containments per hour; 5 leaked keys of 5 users, then a 6th after the reset.
    const { clients, deps, sink, endpoint, tableName } = await localResponder({ state: { breakerLimit: 3 } });
    const users = [];
    for (let i = 0; i < 6; i++) users.push(await userWithTwoKeys(clients.iam));
    const handler = makeHandler(guardDutySource, deps);

    // Act
    const responses: IncidentResponse[] = [];
    for (const [i, user] of users.slice(0, 5).entries()) {
      responses.push(...(await handler(torFinding(user.userName, user.leaked, `flood-${i}`), lambdaContext())));
    }
    const alerts = await sink.drain();
    const cli = ['--table', tableName, '--account', LOCAL_ACCOUNT_ID, '--limit', '3'];
    const statusWhileOpen = await runCli(['breaker', 'status', ...cli], endpoint);
    await runCli(['breaker', 'reset', ...cli], endpoint);
    const statusAfterReset = await runCli(['breaker', 'status', ...cli], endpoint);
    const sixth = users[5]!;
    const [afterReset] = await handler(torFinding(sixth.userName, sixth.leaked, 'after-reset'), lambdaContext());

    // Assess
    expect(responses.map((r) => `${r.outcome}/${r.reason}`)).toEqual([
      'contained/matched',
      'contained/matched',
      'contained/matched',
      'notified/breaker-open',
      'notified/breaker-open',
    ]);
    for (const [i, user] of users.slice(0, 5).entries()) {
      expect(await keyStatuses(clients.iam, user.userName)).toEqual({
        [user.leaked]: i < 3 ? 'Inactive' : 'Active',
        [user.decoy]: 'Active',
      });
    }
    const breakerAlerts = alerts.filter((a) => a.attributes.outcome === 'breaker-open');
    expect(breakerAlerts).toHaveLength(1);
    expect(breakerAlerts[0]!.subject).toBe(`Keystop breaker OPEN in ${LOCAL_ACCOUNT_ID}: automatic containment paused`);
    expect(breakerAlerts[0]!.text).toContain('keystop breaker reset');
    expect(breakerAlerts[0]!.attributes).toEqual({
      outcome: 'breaker-open',
      severity: 'CRITICAL',
      alertType: 'breaker',
      account: LOCAL_ACCOUNT_ID,
      source: 'keystop',
    });
    const held = alerts.filter((a) => a.attributes.outcome === 'notified');
    expect(held).toHaveLength(2);
    expect(held[0]!.text).toContain('reason: breaker-open');
    expect(held[0]!.text).toContain(
      `aws iam update-access-key --user-name ${users[3]!.userName} --access-key-id ${users[3]!.leaked} --status Inactive`,
    );
    expect(statusWhileOpen.stdout).toMatch(/breaker of account 123456789012: OPEN since .*; 3 of 3 automatic containments/);
    expect(statusAfterReset.stdout).toContain('breaker of account 123456789012: closed; 0 of 3 automatic containments');
    expect(afterReset).toMatchObject({ outcome: 'contained', reason: 'matched' });
  });

  it('keeps the slot of a containment that cut something off before a later step failed: a partial containment counts', async () => {
    // Prepare: one automatic containment per window; the policy deactivates the named key, then every key of its user,
    // and IAM refuses the second step (the decoy's UpdateAccessKey): the leaked key is cut off, the response failed.
    const policies: ResponsePolicy[] = [
      {
        name: 'key-then-user-keys',
        description: 'the key, then every key of the user',
        match: { source: ['guardduty'] },
        mode: 'contain',
        actions: [{ type: 'deactivate-access-key' }, { type: 'deactivate-user-keys' }],
      },
    ];
    const { clients, responderClients, deps } = await localResponder({ state: { breakerLimit: 1 }, policies });
    const partial = await userWithTwoKeys(clients.iam);
    const next = await userWithTwoKeys(clients.iam);
    responderClients.iam.middlewareStack.add(
      (send: any) => async (args: any) => {
        if (args.input.AccessKeyId === partial.decoy) {
          throw Object.assign(new Error('not authorized to perform iam:UpdateAccessKey'), { name: 'AccessDenied' });
        }
        return send(args);
      },
      { step: 'initialize', name: 'refuse-the-decoy' },
    );
    const handler = makeHandler(guardDutySource, deps);

    // Act
    const [first] = await handler(torFinding(partial.userName, partial.leaked, 'partial'), lambdaContext());
    const [second] = await handler(torFinding(next.userName, next.leaked, 'after-partial'), lambdaContext());

    // Assess: the first cut the leaked key off and failed; its slot stays taken, so the next principal is held.
    expect(first).toMatchObject({ outcome: 'failed', reason: 'access-denied' });
    expect(await keyStatuses(clients.iam, partial.userName)).toEqual({ [partial.leaked]: 'Inactive', [partial.decoy]: 'Active' });
    expect(second).toMatchObject({ outcome: 'notified', reason: 'breaker-open' });
    expect(await keyStatuses(clients.iam, next.userName)).toEqual({ [next.leaked]: 'Active', [next.decoy]: 'Active' });
  });

  it('lets a policy that bypasses the breaker contain while it is open (a honey key is proof, not suspicion)', async () => {
    const policies: ResponsePolicy[] = [
      {
        name: 'proof',
        description: 'bypasses',
        match: { principalName: [{ prefix: 'alice' }] },
        mode: 'contain',
        actions: [{ type: 'deactivate-access-key' }],
        bypassBreaker: true,
      },
    ];
    const { clients, deps } = await localResponder({ state: { breakerLimit: 1 }, policies });
    const first = await userWithTwoKeys(clients.iam);
    const second = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);

    await handler(torFinding(first.userName, first.leaked, 'one'), lambdaContext());
    const [response] = await handler(torFinding(second.userName, second.leaked, 'two'), lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect((await keyStatuses(clients.iam, second.userName))[second.leaked]).toBe('Inactive');
  });

  it('a slot a critical path gives back (its key was deleted) does not hold a concurrent containment: the second look admits it', async () => {
    // Prepare: room for two principals, one counted. The deleted key's report takes the last slot at its gate and gives
    // it back once its write finds the key gone; the other report is refused while that slot is taken. The order is held
    // by promises: the deleted key's write waits until the other report's first look was refused (it pauses then).
    const local = await localResponder({ state: { breakerLimit: 2 } });
    const { iam, sns, dynamodb } = local.responderClients;
    const harness = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb });
    const [counted, other, deleted] = [
      await userWithTwoKeys(local.clients.iam),
      await userWithTwoKeys(local.clients.iam),
      await userWithTwoKeys(local.clients.iam),
    ];
    await harness.deliver(torFinding(counted.userName, counted.leaked, 'counted'));
    await local.clients.iam.send(new DeleteAccessKeyCommand({ UserName: deleted.userName, AccessKeyId: deleted.leaked }));
    await local.sink.drain();
    let writeReached!: () => void;
    let letWriteGo!: () => void;
    const atWrite = new Promise<void>((resolve) => (writeReached = resolve));
    harness.arm({
      call: 'IAM:UpdateAccessKey',
      kind: 'wait',
      when: (input) => input.AccessKeyId === deleted.leaked,
      reached: writeReached,
      until: new Promise<void>((resolve) => (letWriteGo = resolve)),
    });

    // Act: the deleted key's report holds the last slot; the other report arrives and pauses after its first look.
    const ofDeleted = harness.deliver(torFinding(deleted.userName, deleted.leaked, 'deleted'), { container: 1 });
    await atWrite;
    const pauses: number[] = [];
    harness.onPause(async (ms) => {
      pauses.push(ms);
      letWriteGo();
      await ofDeleted;
    });
    const ofOther = await harness.deliver(torFinding(other.userName, other.leaked, 'other'), { container: 0 });
    letWriteGo(); // (had it not paused)

    // Assess: contained, not held; no breaker alert; the breaker counts the two principals contained.
    expect((await ofDeleted).responses).toMatchObject([{ outcome: 'gone', reason: 'credential-gone' }]);
    expect(ofOther.responses).toMatchObject([{ outcome: 'contained', reason: 'matched' }]);
    expect(pauses).toHaveLength(1);
    expect((await keyStatuses(local.clients.iam, other.userName))[other.leaked]).toBe('Inactive');
    const alerts = await local.sink.drain();
    expect(alerts.filter((a) => a.attributes.outcome === 'breaker-open')).toEqual([]);
    const status = await local.deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, harness.deps.now());
    expect(status.principals.sort()).toEqual([`user/${counted.userName}`, `user/${other.userName}`].sort());
  });
});
