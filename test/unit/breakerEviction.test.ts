import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { ResponsePlan } from '../../src/decide/planResponse';
import { accessKeyRecordKey } from '../../src/domain/identifiers';
import { localDeps } from '../../src/local/localDeps';
import { admit } from '../../src/respond/incident/breakerSlot';
import type { CreationLog } from '../../src/stores/dynamoCreationLog';
import type { BreakerSlot, StateStore } from '../../src/stores/StateStore';
import { credentials, incidentAbout } from '../support/incidents';
import { clockStart } from '../support/testClock';

const ACCOUNT = '111122223333';
const LEAKED = 'AKIAPAYROLLSYNCLEAK1';
const MINUTE = 60_000;
const now = clockStart();

/** An established user's key (build-bot, created a year ago), reported while the account's breaker is full. */
const established = incidentAbout(credentials['long-term-key']);
const contain: ResponsePlan = {
  policy: 'guardduty-key-used-by-attacker',
  reason: 'matched',
  explanation: 'contain it',
  execute: true,
  steps: [],
  inapplicable: [],
  bypassBreaker: false,
};

/**
 * A full breaker (limit 2) that counts tmp-runner-1, made by the leaked key Keystop contains, and an established
 * principal; `fail` says which of the breaker's calls of the eviction fails. Records the incident ids IAM is read for.
 */
function fullBreaker(fail: { status?: Error; evict?: Error }) {
  const readFor: string[] = [];
  /** Who was asked about: the creation log's first question per principal, and IAM's reads of users. */
  const asked = { creatorOf: [] as string[], iam: [] as string[] };
  const memo = new Map<string, Set<string>>();
  const state = {
    established: async (breaker: string) => [...(memo.get(breaker) ?? [])],
    rememberEstablished: async (breaker: string, members: readonly string[]) => {
      memo.set(breaker, new Set([...(memo.get(breaker) ?? []), ...members]));
    },
    youngPrincipalMs: 60 * MINUTE,
    breakersOf: (slot: BreakerSlot) => [slot],
    admit: async () => ({ admitted: false, added: false, justOpened: false, count: 2, limit: 2 }),
    breakerStatus: async () => {
      if (fail.status) throw fail.status;
      return { accountId: ACCOUNT, count: 2, open: true, principals: ['user/tmp-runner-1', 'user/billing-export'], limit: 2 };
    },
    evict: async () => {
      if (fail.evict) throw fail.evict;
      return ['user/tmp-runner-1'];
    },
    read: async (key: string) => (key === accessKeyRecordKey(ACCOUNT, LEAKED) ? { record: { achieved: 'contained', held: false } } : {}),
  } as unknown as StateStore;
  const creationLog: CreationLog = {
    remember: async () => undefined,
    recall: async () => ({ creations: [], overflowed: false }),
    creatorOf: async (_, made) => {
      asked.creatorOf.push(made[0]!);
      return made[0] === 'user/tmp-runner-1' ? { made: made[0], creatorKeyId: LEAKED, at: new Date(now).toISOString() } : undefined;
    },
  };
  const iam = Object.assign(new IAMClient({ region: 'us-east-1' }), {
    send: async (command: { input: { UserName?: string } }) => {
      asked.iam.push(command.input.UserName ?? '');
      return { User: { UserName: 'x', Path: '/', Tags: [], CreateDate: new Date(now - 365 * 24 * 60 * MINUTE) } };
    },
  });
  const base = localDeps('http://127.0.0.1:9', { topicArn: 'arn:aws:sns:us-east-1:111122223333:alerts', stateTable: undefined });
  const deps = {
    ...base,
    state,
    creationLog,
    clientsFor: ({ id }: { id: string }) => {
      readFor.push(id);
      return { iam };
    },
    notifier: { ...base.notifier, publish: async () => undefined },
    sleep: async () => undefined,
    now: () => new Date(now),
  };
  return { deps, readFor, asked };
}

describe('Taking what the attacker made out of a refusing breaker never opens a way around it (issue 29, move 4)', () => {
  it.each([
    ['the breaker cannot be read for its members', { status: new Error('ProvisionedThroughputExceededException') }],
    ['the eviction is contended', { evict: new Error('the breaker of account 111122223333 is contended: 8 concurrent updates in a row') }],
  ])('an established principal is still held when %s', async (_, fail) => {
    const { deps } = fullBreaker(fail);

    const admission = await admit(established, contain, deps);

    expect(admission.held).toBe(true);
  });

  it('an established principal is held when the eviction succeeds but the breaker still refuses', async () => {
    const { deps } = fullBreaker({});

    expect((await admit(established, contain, deps)).held).toBe(true);
  });

  it("reads IAM in the incident's name: the member account's CloudTrail names the incident the calls were made for", async () => {
    const { deps, readFor } = fullBreaker({});

    await admit(established, contain, deps);

    expect(readFor.length).toBeGreaterThan(0);
    expect(new Set(readFor)).toEqual(new Set([established.id]));
  });

  it('a second refusal in the window asks only about members not found established before; a member with a creator is asked again', async () => {
    const { deps, asked } = fullBreaker({});
    await admit(established, contain, deps);
    expect(asked.creatorOf.filter((m) => m === 'user/billing-export')).toHaveLength(1);
    expect(asked.iam.filter((n) => n === 'billing-export')).toHaveLength(1);
    asked.creatorOf.length = 0;
    asked.iam.length = 0;

    const again = await admit(established, contain, deps);

    expect(again.held).toBe(true);
    // billing-export: no creator and a year old, settled for the window: not asked again (no log read, no IAM read).
    expect(asked.creatorOf).not.toContain('user/billing-export');
    expect(asked.iam).not.toContain('billing-export');
    // tmp-runner-1 has a creator, which may be contained later: always asked.
    expect(asked.creatorOf).toContain('user/tmp-runner-1');
  });
});
