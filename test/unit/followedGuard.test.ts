import { describe, expect, it } from 'vitest';
import { FOLLOW_STEP } from '../../src/actions/ContainmentAction';
import { CREDENTIAL_RECORD_VERSION, type CredentialRecord, type StoredAction, storedResponseOf } from '../../src/decide/CredentialRecord';
import { followedBehind, followedRefsOf } from '../../src/decide/followedGuard';
import type { Creation } from '../../src/domain/Creation';
import { credentials, incidentAbout, responseTo } from '../support/incidents';
import { clockStart } from '../support/testClock';

const now = new Date(clockStart());
const made = '2026-10-02T08:20:00Z';

const plantedKey: Creation = { kind: 'access-key', userName: 'ops-admin', accessKeyId: 'AKIAEXAMPLEPLANTED01', at: made };
const backdoorUser: Creation = { kind: 'user', userName: 'backdoor', at: made };
const backdoorRole: Creation = { kind: 'role', roleName: 'pivot', at: made };
const policy: Creation = {
  kind: 'policy',
  on: 'user',
  name: 'ops-admin',
  policy: 'arn:aws:iam::aws:policy/AdministratorAccess',
  at: made,
} as Creation;

const follow = (followed: Creation, status: StoredAction['status'] = 'done', changedKeys?: string[]): StoredAction => ({
  type: FOLLOW_STEP,
  status,
  target: 'x',
  reason: 'r',
  followed,
  ...(changedKeys ? { changedKeys } : {}),
});

const record = (did: StoredAction[]): CredentialRecord => ({
  schemaVersion: CREDENTIAL_RECORD_VERSION,
  key: 'credential#111122223333#AKIAEXAMPLELEAKED001',
  accountId: '111122223333',
  achieved: 'contained',
  alerted: 'contained',
  held: false,
  firstSeenAt: now.toISOString(),
  updatedAt: now.toISOString(),
  did,
});

describe('What the tamper guard watches for a contained key: what its follow changed', () => {
  it('names each key, user and role the follow changed, and the keys of a user it made that it deactivated', () => {
    const did = [follow(plantedKey), follow(backdoorUser, 'done', ['AKIAEXAMPLEBACKDOOR1', 'AKIAEXAMPLEBACKDOOR2']), follow(backdoorRole)];

    expect(followedRefsOf(record(did))).toEqual([
      'key/AKIAEXAMPLEPLANTED01',
      'user/backdoor',
      'key/AKIAEXAMPLEBACKDOOR1',
      'key/AKIAEXAMPLEBACKDOOR2',
      'role/pivot',
    ]);
  });

  it('leaves out what the follow skipped or failed, what it only listed, other steps, and names each thing once', () => {
    const deactivated: StoredAction = { type: 'deactivate-access-key', status: 'done', target: 'AKIAEXAMPLELEAKED001', reason: 'r' };
    const did = [
      deactivated,
      follow(plantedKey, 'skipped'),
      follow(backdoorRole, 'failed'),
      follow(policy),
      { ...follow(plantedKey), type: 'revoke-sessions' as const },
      { type: FOLLOW_STEP, status: 'done', target: 'x', reason: 'no creation recorded' } satisfies StoredAction,
      follow(backdoorUser),
      follow(backdoorUser),
    ];

    expect(followedRefsOf(record(did))).toEqual(['user/backdoor']);
    expect(followedRefsOf(record([]))).toEqual([]);
  });

  it('reads the steps of a record written before `did` existed (its last response)', () => {
    const incident = incidentAbout(credentials['long-term-key']);
    const legacy: CredentialRecord = {
      ...record([]),
      did: undefined,
      last: storedResponseOf(responseTo(incident, { actions: [follow(backdoorRole)] }), now),
    };

    expect(followedRefsOf(legacy)).toEqual(['role/pivot']);
    expect(followedBehind(legacy, 'role/pivot')).toEqual(backdoorRole);
  });
});

describe('Which followed thing a changed key or principal is', () => {
  const did = [follow(plantedKey), follow(backdoorUser, 'done', ['AKIAEXAMPLEBACKDOOR1']), follow(backdoorRole)];

  it('answers the creation a guard ref names, so the follow step can contain it again', () => {
    expect(followedBehind(record(did), 'key/AKIAEXAMPLEPLANTED01')).toEqual(plantedKey);
    expect(followedBehind(record(did), 'role/pivot')).toEqual(backdoorRole);
    expect(followedBehind(record(did), 'user/backdoor')).toEqual(backdoorUser);
  });

  it("answers a key of a user it made as that user's key (its name, the user's creation time)", () => {
    expect(followedBehind(record(did), 'key/AKIAEXAMPLEBACKDOOR1')).toEqual({
      kind: 'access-key',
      accessKeyId: 'AKIAEXAMPLEBACKDOOR1',
      userName: 'backdoor',
      at: made,
    });
  });

  it('answers nothing for what the follow did not change: another key, a role named like a user, a skipped step', () => {
    expect(followedBehind(record(did), 'key/AKIAEXAMPLEOTHER0001')).toBeUndefined();
    expect(followedBehind(record(did), 'role/backdoor')).toBeUndefined();
    expect(followedBehind(record(did), 'user/pivot')).toBeUndefined();
    expect(followedBehind(record(did), 'key/pivot')).toBeUndefined();
    expect(followedBehind(record([follow(plantedKey, 'skipped')]), 'key/AKIAEXAMPLEPLANTED01')).toBeUndefined();
    expect(
      followedBehind(record([{ ...follow(plantedKey), type: 'revoke-sessions' as const }]), 'key/AKIAEXAMPLEPLANTED01'),
    ).toBeUndefined();
    expect(followedBehind(record([follow(policy)]), 'user/ops-admin')).toBeUndefined();
    expect(followedBehind(record([{ type: FOLLOW_STEP, status: 'done', target: 'x', reason: 'r' }]), 'user/backdoor')).toBeUndefined();
  });
});
