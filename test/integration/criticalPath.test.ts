import { ListUserTagsCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import type { Deps } from '../../src/respond/Deps';
import { eventSourceFor } from '../../src/sources/eventSources';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';
import { clockStart } from '../support/testClock';

function reportOf(fixture: string, accessKeyId: string, userName: string, id?: string) {
  let text = JSON.stringify(loadFixture(fixture)).split('111122223333').join(LOCAL_ACCOUNT_ID);
  text = text.replace(/AKIA[A-Z0-9]{16}/g, accessKeyId);
  for (const name of ['build-bot', 'report-exporter', 'ci-deployer']) text = text.split(`"${name}"`).join(`"${userName}"`);
  const event = JSON.parse(text) as Record<string, any>;
  if (id) {
    event.id = id;
    event.detail.id = id;
  }
  return event;
}

async function deliver(deps: Deps, event: unknown): Promise<IncidentResponse[] | Error> {
  const source = eventSourceFor(event)!;
  return makeHandler(source, deps)(event, lambdaContext()).catch((error: Error) => error);
}

describe('The critical path under attack and in races (adversarial review of the one-round-trip change)', () => {
  it('a busy duplicate that steps aside does not give back the slot a concurrent containment counts on', async () => {
    const { clients, deps, responderClients } = await localResponder({ state: { breakerLimit: 5 } });
    const { userName, leaked } = await userWithTwoKeys(clients.iam);
    // A's claim lands first (B finds the credential busy), B's admission lands before A's, and B's giveBack after
    // A's admission: the parallel, independent updates of the two items allow this order, held here by promises.
    let admissions = 0;
    let bAdmitted!: () => void;
    let aAdmitted!: () => void;
    let aClaimed!: () => void;
    const bDone = new Promise<void>((r) => (bAdmitted = r));
    const aDone = new Promise<void>((r) => (aAdmitted = r));
    const aClaim = new Promise<void>((r) => (aClaimed = r));
    responderClients.dynamodb.middlewareStack.add(
      (next: any, context: any) => async (args: any) => {
        const pk = args.input?.Key?.pk?.S ?? '';
        if (
          context.commandName === 'UpdateItemCommand' &&
          pk.startsWith('credential#') &&
          args.input.UpdateExpression?.startsWith('SET attemptToken')
        ) {
          const out = await next(args);
          aClaimed();
          return out;
        }
        if (context.commandName !== 'UpdateItemCommand' || !pk.startsWith('breaker#')) return next(args);
        if (args.input.ConditionExpression?.includes('size(members)')) {
          const n = ++admissions;
          if (n === 1) {
            await bDone;
            const out = await next(args);
            aAdmitted();
            return out;
          }
          const out = await next(args);
          if (n === 2) bAdmitted();
          return out;
        }
        if (args.input.UpdateExpression?.startsWith('DELETE members')) await aDone;
        return next(args);
      },
      { step: 'initialize', name: 'order-breaker-updates' },
    );
    const a = deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName, 'a'));
    await aClaim; // B starts once A holds the credential: no wall-clock wait
    const b = deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName, 'b'));
    await Promise.all([a, b]);
    const status = await deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, deps.now());

    expect(await keyStatuses(clients.iam, userName)).toMatchObject({ [leaked]: 'Inactive' });
    // The key is contained: its principal must be counted.
    expect(status.principals).toContain(`user/${userName}`);
  }, 60_000);

  it('in a member account (whose IAM events the tamper guard never sees), a re-enabled key reported again is contained again', async () => {
    // The incident's account is a member here: the guard cannot have seen the re-enabling, so the record is not trusted.
    const { clients, deps, sink } = await localResponder({
      guardrails: { accounts: { own: '999999999999', members: [LOCAL_ACCOUNT_ID] } },
    });
    const { userName, leaked } = await userWithTwoKeys(clients.iam);
    await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName, 'first'));
    await clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: leaked, Status: 'Active' }));
    await sink.drain();

    const again = (await deliver(
      deps,
      reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName, 'second'),
    )) as IncidentResponse[];

    expect(again[0]).toMatchObject({ outcome: 'contained', reason: 'key-re-enabled' });
    expect((await keyStatuses(clients.iam, userName))[leaked]).toBe('Inactive');
  }, 60_000);

  it('a report naming the wrong user leaves that user untouched: no key, no tag; the real owner is contained', async () => {
    const { clients, deps } = await localResponder();
    const owner = await userWithTwoKeys(clients.iam);
    const bystander = await userWithTwoKeys(clients.iam);
    const [response] = (await deliver(
      deps,
      reportOf('guardduty/tor-ip-caller-long-term-key.json', owner.leaked, bystander.userName, 'named-wrong'),
    )) as IncidentResponse[];
    expect(response).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(clients.iam, owner.userName)).toMatchObject({ [owner.leaked]: 'Inactive' });
    expect(await keyStatuses(clients.iam, bystander.userName)).toEqual({ [bystander.leaked]: 'Active', [bystander.decoy]: 'Active' });
    const tags = (await clients.iam.send(new ListUserTagsCommand({ UserName: bystander.userName }))).Tags ?? [];
    expect(tags.map((t) => t.Key)).toEqual([]);
  }, 60_000);

  it('repeat reports do not keep a contained principal inside the rolling window', async () => {
    const { clients, deps } = await localResponder({ state: { breakerLimit: 1, breakerWindowMs: 3600_000 } });
    let clock = clockStart();
    deps.now = () => new Date(clock);
    const p = await userWithTwoKeys(clients.iam);
    const q = await userWithTwoKeys(clients.iam);
    const p1 = await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', p.leaked, p.userName, 'p1'));
    clock += 50 * 60_000; // a GuardDuty update of the same finding 50 minutes later: a duplicate
    const p2 = await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', p.leaked, p.userName, 'p2'));
    clock += 20 * 60_000; // 70 minutes after P's only containment: P has left the 60-minute window
    const q1 = await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', q.leaked, q.userName, 'q1'));

    // P took the one slot and its repeat was a duplicate (an error, returned as a value by deliver, fails these too).
    expect(p1).toEqual([expect.objectContaining({ outcome: 'contained', reason: 'matched' })]);
    expect(p2).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
    expect(q1).toEqual([expect.objectContaining({ outcome: 'contained', reason: 'matched' })]);
    expect(await keyStatuses(clients.iam, q.userName)).toEqual({ [q.leaked]: 'Inactive', [q.decoy]: 'Active' });
  }, 60_000);

  it('an admission of a principal counted already does not reopen the breaker: one breaker-open alert', async () => {
    const { clients, deps, sink } = await localResponder({ state: { breakerLimit: 1 } });
    const p = await userWithTwoKeys(clients.iam);
    const q = await userWithTwoKeys(clients.iam);
    const r = await userWithTwoKeys(clients.iam);
    await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', p.leaked, p.userName, 'p1'));
    await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', q.leaked, q.userName, 'q1'));
    await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', p.decoy, p.userName, 'p2'));
    await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', r.leaked, r.userName, 'r1'));
    const opened = (await sink.drain()).filter((a) => a.attributes.outcome === 'breaker-open');
    expect(opened).toHaveLength(1);
  }, 60_000);

  // The breaker's own terms, through the store (a second review of the one-update admission).
  it('an exact-path admission of a principal counted already leaves its mark: the adder cannot give back that slot', async () => {
    const { deps } = await localResponder({ state: { breakerLimit: 2, breakerWindowMs: 3600_000 } });
    const state = deps.state!;
    const now = deps.now();
    const first = await state.gate('credential#first', 'a', { accountId: LOCAL_ACCOUNT_ID, principal: 'user/P' }, now);
    expect(first.admission).toMatchObject({ kind: 'admitted', added: true });

    expect(await state.admit(LOCAL_ACCOUNT_ID, 'user/P', now)).toMatchObject({ admitted: true, added: false });
    await state.giveBack(LOCAL_ACCOUNT_ID, 'user/P', (first.admission as { stamp: string }).stamp);

    expect(await state.breakerStatus(LOCAL_ACCOUNT_ID, now)).toMatchObject({ count: 1, principals: ['user/P'] });
  });

  it('a member whose time left the window is not admitted at its old time: the breaker never counts more than its limit', async () => {
    const { deps } = await localResponder({ state: { breakerLimit: 2, breakerWindowMs: 3600_000 } });
    const state = deps.state!;
    const start = clockStart();
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    await state.gate('credential#p1', 'p1', { accountId: LOCAL_ACCOUNT_ID, principal: 'user/P' }, at(0));
    await state.gate('credential#x', 'x', { accountId: LOCAL_ACCOUNT_ID, principal: 'user/X' }, at(100));

    const again = await state.gate('credential#p2', 'p2', { accountId: LOCAL_ACCOUNT_ID, principal: 'user/P' }, at(120));
    const other = await state.admit(LOCAL_ACCOUNT_ID, 'user/R', at(120));
    const exactly = await state.admit(LOCAL_ACCOUNT_ID, 'user/P', at(120));

    expect(again.admission).toEqual({ kind: 'refused' });
    expect(other).toMatchObject({ admitted: true, added: true });
    expect(exactly).toMatchObject({ admitted: false });
    expect(await state.breakerStatus(LOCAL_ACCOUNT_ID, at(120))).toMatchObject({ count: 2, principals: ['user/X', 'user/R'] });
  });
});
