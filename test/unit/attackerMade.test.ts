import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../../src/decide/CredentialRecord';
import { accessKeyRecordKey } from '../../src/domain/identifiers';
import { localDeps } from '../../src/local/localDeps';
import { attackerMade } from '../../src/respond/incident/attackerMade';
import type { CreationLog } from '../../src/stores/dynamoCreationLog';
import type { StateStore } from '../../src/stores/StateStore';
import { clockStart } from '../support/testClock';

const ACCOUNT = '111122223333';
const LEAKED = 'AKIAPAYROLLSYNCLEAK1';
const MINUTE = 60_000;
const INCIDENT = 'guardduty:111122223333:f00d';
const now = clockStart();

/** What the breaker asks, with a creation log, the creator's record and IAM's CreateDate given (no AWS call leaves). */
function depsWith(given: {
  creator?: string | Error;
  record?: Partial<CredentialRecord>;
  createdMinutesAgo?: number | Error;
  youngPrincipalMs?: number;
}) {
  const creationLog: CreationLog = {
    remember: async () => undefined,
    recall: async () => ({ creations: [], overflowed: false }),
    creatorOf: async (_, made) => {
      if (given.creator instanceof Error) throw given.creator;
      return given.creator === undefined ? undefined : { made: made[0]!, creatorKeyId: given.creator, at: new Date(now).toISOString() };
    },
  };
  const state = {
    youngPrincipalMs: given.youngPrincipalMs ?? 60 * MINUTE,
    read: async (key: string) => (key === accessKeyRecordKey(ACCOUNT, LEAKED) && given.record ? { record: given.record } : {}),
  } as unknown as StateStore;
  const iam = Object.assign(new IAMClient({ region: 'us-east-1' }), {
    send: async () => {
      const age = given.createdMinutesAgo;
      if (age instanceof Error) throw age;
      return { User: { UserName: 'tmp-runner-1', Path: '/', Tags: [], CreateDate: new Date(now - (age ?? 24 * 60) * MINUTE) } };
    },
  });
  const base = localDeps('http://127.0.0.1:9', { topicArn: 'arn:aws:sns:us-east-1:111122223333:alerts', stateTable: undefined });
  return {
    ...base,
    state,
    creationLog,
    clientsFor: () => ({ iam }),
    now: () => new Date(now),
  };
}

const runner = { accountId: ACCOUNT, principal: 'user/tmp-runner-1' };

describe('What the attacker made takes no breaker slot (issue 29, move 4)', () => {
  it('a principal made by the key Keystop is asked to contain now takes no slot', async () => {
    const why = await attackerMade(
      runner,
      { key: accessKeyRecordKey(ACCOUNT, LEAKED), incidentId: INCIDENT },
      depsWith({ creator: LEAKED }),
    );

    expect(why).toBe(`user/tmp-runner-1 was created by ${LEAKED}, which Keystop is asked to contain now`);
  });

  it.each([
    ['contained', { achieved: 'contained', held: false }],
    ['held by the breaker', { achieved: 'none', held: true }],
    ['asked to contain (a demand recorded)', { achieved: 'alerted', held: false, demand: {} }],
  ] as const)('a principal made by a key Keystop has %s takes no slot', async (_, record) => {
    const why = await attackerMade(
      runner,
      { key: undefined, incidentId: INCIDENT },
      depsWith({ creator: LEAKED, record: record as Partial<CredentialRecord> }),
    );

    expect(why).toBe(`user/tmp-runner-1 was created by ${LEAKED}, which Keystop is containing`);
  });

  it('counts a principal whose creator Keystop only alerted on, or released, or never heard of', async () => {
    const alerted = depsWith({ creator: LEAKED, record: { achieved: 'alerted', held: false } });
    const released = depsWith({
      creator: LEAKED,
      record: { achieved: 'contained', held: false, released: { by: 'x', reason: 'y', at: 'z' } },
    });

    expect(await attackerMade(runner, { key: undefined, incidentId: INCIDENT }, alerted)).toBeUndefined();
    expect(await attackerMade(runner, { key: undefined, incidentId: INCIDENT }, released)).toBeUndefined();
    expect(await attackerMade(runner, { key: undefined, incidentId: INCIDENT }, depsWith({}))).toBeUndefined();
  });

  it('a principal IAM created inside the breaker window takes no slot; one created before it, or with the rule off, counts', async () => {
    expect(await attackerMade(runner, { key: undefined, incidentId: INCIDENT }, depsWith({ createdMinutesAgo: 12 }))).toMatch(
      /^user\/tmp-runner-1 was created 12 minutes ago \(.*\), inside the breaker window$/,
    );
    expect(await attackerMade(runner, { key: undefined, incidentId: INCIDENT }, depsWith({ createdMinutesAgo: 61 }))).toBeUndefined();
    expect(
      await attackerMade(runner, { key: undefined, incidentId: INCIDENT }, depsWith({ createdMinutesAgo: 12, youngPrincipalMs: 0 })),
    ).toBeUndefined();
  });

  it('follows a chain of keys that made keys up to three back, and stops at a cycle', async () => {
    // made -> creator: the runner by K3, K3 by K2, K2 by K1, K1 by LEAKED (four keys back); K9 is noted as its own maker.
    const creators: Record<string, string> = {
      'user/tmp-runner-1': 'AKIAPIVOTKEY00000003',
      AKIAPIVOTKEY00000003: 'AKIAPIVOTKEY00000002',
      AKIAPIVOTKEY00000002: 'AKIAPIVOTKEY00000001',
      AKIAPIVOTKEY00000001: LEAKED,
      'user/looped': 'AKIAPIVOTKEY00000009',
      AKIAPIVOTKEY00000009: 'AKIAPIVOTKEY00000009',
    };
    const asked: string[] = [];
    const deps = depsWith({ youngPrincipalMs: 0 });
    deps.creationLog = {
      ...deps.creationLog,
      creatorOf: async (_, made) => {
        asked.push(made[0]!);
        const creatorKeyId = creators[made[0]!];
        return creatorKeyId === undefined ? undefined : { made: made[0]!, creatorKeyId, at: new Date(now).toISOString() };
      },
    };
    const asking = { key: accessKeyRecordKey(ACCOUNT, LEAKED), incidentId: INCIDENT };

    expect(await attackerMade({ accountId: ACCOUNT, principal: 'user/pivot' }, asking, deps)).toBeUndefined();
    creators['user/pivot'] = 'AKIAPIVOTKEY00000002';
    expect(await attackerMade({ accountId: ACCOUNT, principal: 'user/pivot' }, asking, deps)).toBe(
      `user/pivot was created by AKIAPIVOTKEY00000002, made by AKIAPIVOTKEY00000001, made by ${LEAKED}, which Keystop is asked to contain now`,
    );
    expect(await attackerMade(runner, asking, deps)).toBeUndefined();
    asked.length = 0;
    expect(await attackerMade({ accountId: ACCOUNT, principal: 'user/looped' }, asking, deps)).toBeUndefined();
    expect(asked).toEqual(['user/looped', 'AKIAPIVOTKEY00000009']);
  });

  it('a read that fails counts the principal: it never opens a way around the breaker', async () => {
    const failing = depsWith({ creator: new Error('table unavailable'), createdMinutesAgo: new Error('IAM throttled') });

    expect(await attackerMade(runner, { key: accessKeyRecordKey(ACCOUNT, LEAKED), incidentId: INCIDENT }, failing)).toBeUndefined();
  });
});
