import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';

/** A Tor-caller finding about the given key; `later`: GuardDuty's later notification of it (count raised, an hour on). */
function torFinding(userName: string, accessKeyId: string, id: string, { later = false } = {}) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.id = `event-${id}`;
  event.detail.id = id;
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId });
  if (later) {
    event.detail.service.count = 9;
    event.detail.updatedAt = new Date(Date.parse(event.detail.createdAt) + 3_600_000).toISOString();
  }
  return event;
}

/**
 * A likely duplicate (the container remembers the credential as contained, or GuardDuty marks a later notification)
 * sends its claim alone first. These are the sequences where the guess is wrong: the record must decide as it does
 * when everything is sent at once (docs/state-machine.md, "A likely duplicate asks first").
 */
describe('A likely duplicate asks first: sequences where the guess is wrong', () => {
  it('contains a key re-enabled past the guard window again, in the container that contained it', async () => {
    const guardWindowMs = 3_600_000;
    const { clients, sink, deps } = await localResponder({ guardWindowMs });
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    let now = Date.now();
    const handler = makeHandler(guardDutySource, { ...deps, now: () => new Date(now) });
    await handler(torFinding(userName, leaked, 'first'), lambdaContext());
    await sink.drain();
    // The guard no longer watches the key: whoever re-enables it now is not put back by the guard.
    now += guardWindowMs + 60_000;
    await clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: leaked, Status: 'Active' }));

    const [response] = await handler(torFinding(userName, leaked, 'later', { later: true }), lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(await sink.drain()).toHaveLength(1);
  });

  it('holds a later notification of a key the breaker holds, writes nothing, and contains it after a reset', async () => {
    const { clients, sink, deps } = await localResponder({ state: { breakerLimit: 1 } });
    const first = await userWithTwoKeys(clients.iam);
    const held = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);
    await handler(torFinding(first.userName, first.leaked, 'fills-the-breaker'), lambdaContext());
    const [heldFirst] = await handler(torFinding(held.userName, held.leaked, 'held'), lambdaContext());
    expect(heldFirst).toMatchObject({ reason: 'breaker-open' });
    await sink.drain();

    // The claim succeeds (the record is only alerted on); the breaker still refuses: nothing is written.
    const [still] = await handler(torFinding(held.userName, held.leaked, 'held-later', { later: true }), lambdaContext());
    const statusWhileHeld = await keyStatuses(clients.iam, held.userName);
    const breakerWhileHeld = await deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, deps.now());
    await deps.state!.resetBreaker(LOCAL_ACCOUNT_ID);
    const [after] = await handler(torFinding(held.userName, held.leaked, 'after-reset', { later: true }), lambdaContext());

    expect(still).toMatchObject({ outcome: 'notified' });
    expect(statusWhileHeld).toEqual({ [held.leaked]: 'Active', [held.decoy]: 'Active' });
    expect(breakerWhileHeld.principals).toEqual([`user/${first.userName}`]);
    expect(after).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(clients.iam, held.userName)).toEqual({ [held.leaked]: 'Inactive', [held.decoy]: 'Active' });
    const alerts = await sink.drain();
    expect(alerts.map((a) => a.attributes.outcome)).toEqual(['contained']);
  });
});
