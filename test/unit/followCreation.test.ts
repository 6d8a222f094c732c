import { ServiceFailureException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { type ActionResult, FOLLOW_STEP } from '../../src/actions/ContainmentAction';
import { followCreation, followSkipped, recontainFollowed, undoFollowed } from '../../src/actions/followCreation';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import type { Creation } from '../../src/domain/Creation';
import { FakeIam } from '../support/fakeIam';
import { clockStart } from '../support/testClock';

const now = new Date(clockStart());
const at = now.toISOString();
const made = '2026-10-02T08:20:00Z';
const CREATED = 'AKIAEXAMPLECREATED01';
const DECOY = 'AKIAEXAMPLEDECOY0001';

const denyEverySession = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'KeystopRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*' }],
};

const createdKey: Creation = { kind: 'access-key', userName: 'build-bot', accessKeyId: CREATED, at: made };

describe('Following what a contained key made', () => {
  it('deactivates exactly the key it created, not the first key its user lists', async () => {
    const iam = new FakeIam().addUser('build-bot', [{ id: CREATED }, { id: DECOY }]);

    const result = await followCreation(createdKey, { iam: iam.client }, now);

    expect(result).toEqual({
      type: FOLLOW_STEP,
      status: 'done',
      target: CREATED,
      reason: `deactivated ${CREATED}, created for user build-bot by the contained key at ${made}`,
      at,
      followed: createdKey,
    });
    expect(iam.keyStatus('build-bot', CREATED)).toBe('Inactive');
    expect(iam.keyStatus('build-bot', DECOY)).toBe('Active');
  });

  it('skips a created key that is already Inactive, so that a release does not set it Active', async () => {
    const iam = new FakeIam().addUser('build-bot', [{ id: CREATED, status: 'Inactive' }, { id: DECOY }]);

    const result = await followCreation(createdKey, { iam: iam.client }, now);

    expect(result).toEqual(followSkipped(createdKey, `key ${CREATED} of user build-bot was already Inactive`));
    expect(result.status).toBe('skipped');
    expect(iam.writes()).toEqual([]);
  });

  it('skips a created key deleted since, touching no other key of the user', async () => {
    const iam = new FakeIam().addUser('build-bot', [{ id: DECOY }]);

    const result = await followCreation(createdKey, { iam: iam.client }, now);

    expect(result).toEqual({
      type: FOLLOW_STEP,
      status: 'skipped',
      target: CREATED,
      reason: `user build-bot has no key ${CREATED} (deleted since)`,
      followed: createdKey,
    });
    expect(iam.writes()).toEqual([]);
  });

  it("contains a created user: its active keys deactivated (only those), every session denied, the user's name the target", async () => {
    const user: Creation = { kind: 'user', userName: 'backdoor', at: made };
    const iam = new FakeIam()
      .addUser('backdoor', [
        { id: 'AKIAEXAMPLEBACKDOOR1' },
        { id: 'AKIAEXAMPLEBACKDOOR2', status: 'Inactive' },
        { id: 'AKIAEXAMPLEBACKDOOR3' },
      ])
      .addUser('build-bot', [{ id: DECOY }]);

    const result = await followCreation(user, { iam: iam.client }, now);

    expect(result).toEqual({
      type: FOLLOW_STEP,
      status: 'done',
      target: 'user/backdoor',
      reason: `user backdoor, created by the contained key at ${made}: 2 active key(s) deactivated (AKIAEXAMPLEBACKDOOR3, AKIAEXAMPLEBACKDOOR1), every session denied, new ones too (${REVOKE_POLICY_NAME})`,
      at,
      followed: user,
      changedKeys: ['AKIAEXAMPLEBACKDOOR3', 'AKIAEXAMPLEBACKDOOR1'],
    });
    expect(iam.writes().filter((w) => w.name === 'UpdateAccessKey')).toEqual([
      { name: 'UpdateAccessKey', input: { UserName: 'backdoor', AccessKeyId: 'AKIAEXAMPLEBACKDOOR3', Status: 'Inactive' } },
      { name: 'UpdateAccessKey', input: { UserName: 'backdoor', AccessKeyId: 'AKIAEXAMPLEBACKDOOR1', Status: 'Inactive' } },
    ]);
    expect(JSON.parse(iam.user('backdoor')!.inline.get(REVOKE_POLICY_NAME)!)).toEqual(denyEverySession);
    expect(iam.keyStatus('build-bot', DECOY)).toBe('Active');
  });

  it('says a created user without active keys had none, and still denies its sessions', async () => {
    const user: Creation = { kind: 'user', userName: 'backdoor', at: made };
    const iam = new FakeIam().addUser('backdoor');

    const result = await followCreation(user, { iam: iam.client }, now);

    expect(result.reason).toBe(
      `user backdoor, created by the contained key at ${made}: 0 active key(s) deactivated, every session denied, new ones too (${REVOKE_POLICY_NAME})`,
    );
    expect(result.changedKeys).toEqual([]);
    expect(iam.user('backdoor')!.inline.has(REVOKE_POLICY_NAME)).toBe(true);
  });

  it('denies every session of a created role, new ones too (no TokenIssueTime condition)', async () => {
    const role: Creation = { kind: 'role', roleName: 'backdoor-role', at: made };
    const iam = new FakeIam().addRole('backdoor-role');

    const result = await followCreation(role, { iam: iam.client }, now);

    expect(result).toEqual({
      type: FOLLOW_STEP,
      status: 'done',
      target: 'role/backdoor-role',
      reason: `role backdoor-role, created by the contained key at ${made}: every session denied, new ones too (${REVOKE_POLICY_NAME})`,
      at,
      followed: role,
    });
    expect(JSON.parse(iam.role('backdoor-role')!.inline.get(REVOKE_POLICY_NAME)!)).toEqual(denyEverySession);
  });

  it.each([
    [{ kind: 'login-profile', userName: 'alice', change: 'created', at: made }, 'user/alice'],
    [
      { kind: 'policy', on: 'role', name: 'ci-deployer', policy: 'arn:aws:iam::aws:policy/AdministratorAccess', how: 'attached', at: made },
      'role/ci-deployer',
    ],
  ] as [Creation, string][])('lists a %o without changing anything (a human decides)', async (creation, target) => {
    const iam = new FakeIam();

    const result = await followCreation(creation, { iam: iam.client }, now);

    expect(result).toEqual({
      type: FOLLOW_STEP,
      status: 'skipped',
      target,
      reason: 'listed, not changed: deleting or detaching is a human decision',
      followed: creation,
    });
    expect(iam.requests).toEqual([]);
  });
});

describe('Undoing a followed step (release)', () => {
  const step = (creation: Creation, changedKeys?: string[]): ActionResult => ({
    type: FOLLOW_STEP,
    status: 'done' as const,
    target: 'whatever the step named',
    reason: 'done',
    followed: creation,
    ...(changedKeys ? { changedKeys } : {}),
  });

  it('reactivates the created key it deactivated, and no other', async () => {
    const iam = new FakeIam().addUser('build-bot', [
      { id: CREATED, status: 'Inactive' },
      { id: DECOY, status: 'Inactive' },
    ]);

    const result = await undoFollowed(step(createdKey), { iam: iam.client }, now);

    expect(result).toEqual({
      type: FOLLOW_STEP,
      status: 'done',
      target: 'whatever the step named',
      reason: `reactivated ${CREATED} of user build-bot`,
      at,
      followed: createdKey,
    });
    expect(iam.keyStatus('build-bot', CREATED)).toBe('Active');
    expect(iam.keyStatus('build-bot', DECOY)).toBe('Inactive');
  });

  it('undoes nothing for a step that was skipped, or that followed nothing', async () => {
    const iam = new FakeIam().addUser('build-bot', [{ id: CREATED, status: 'Inactive' }]);

    expect(await undoFollowed({ ...step(createdKey), status: 'skipped' }, { iam: iam.client }, now)).toBeUndefined();
    expect(
      await undoFollowed({ type: FOLLOW_STEP, status: 'done', target: CREATED, reason: 'done' }, { iam: iam.client }, now),
    ).toBeUndefined();
    expect(iam.requests).toEqual([]);
  });

  it("reactivates a created user's keys it deactivated (skipping those deleted since) and deletes the deny", async () => {
    const user: Creation = { kind: 'user', userName: 'backdoor', at: made };
    const iam = new FakeIam().addUser('backdoor', [
      { id: 'AKIAEXAMPLEBACKDOOR1', status: 'Inactive' },
      { id: 'AKIAEXAMPLEBACKDOOR2', status: 'Inactive' },
      { id: 'AKIAEXAMPLEBACKDOOR3', status: 'Inactive' },
    ]);
    iam.user('backdoor')!.inline.set(REVOKE_POLICY_NAME, '{}');
    const changedKeys = ['AKIAEXAMPLEBACKDOOR1', 'AKIAEXAMPLEGONE00001', 'AKIAEXAMPLEBACKDOOR3'];

    const result = await undoFollowed(step(user, changedKeys), { iam: iam.client }, now);

    expect(result).toMatchObject({
      status: 'done',
      reason: `user backdoor: reactivated AKIAEXAMPLEBACKDOOR1, AKIAEXAMPLEBACKDOOR3; deleted ${REVOKE_POLICY_NAME}`,
      changedKeys: ['AKIAEXAMPLEBACKDOOR1', 'AKIAEXAMPLEBACKDOOR3'],
      at,
    });
    expect(iam.keyStatus('backdoor', 'AKIAEXAMPLEBACKDOOR1')).toBe('Active');
    expect(iam.keyStatus('backdoor', 'AKIAEXAMPLEBACKDOOR2')).toBe('Inactive');
    expect(iam.keyStatus('backdoor', 'AKIAEXAMPLEBACKDOOR3')).toBe('Active');
    expect(iam.user('backdoor')!.inline.size).toBe(0);
  });

  it('says "no key" and "already gone" for a created user with nothing left to undo', async () => {
    const user: Creation = { kind: 'user', userName: 'backdoor', at: made };
    const iam = new FakeIam().addUser('backdoor');

    const result = await undoFollowed(step(user), { iam: iam.client }, now);

    expect(result?.reason).toBe(`user backdoor: reactivated no key; ${REVOKE_POLICY_NAME} was already gone`);
    expect(result?.changedKeys).toEqual([]);
    expect(iam.requests.map((r) => r.name)).toEqual(['DeleteUserPolicy']);
  });

  it('fails on any other error than a missing key or policy', async () => {
    const user: Creation = { kind: 'user', userName: 'backdoor', at: made };
    const iam = new FakeIam().addUser('backdoor', [{ id: 'AKIAEXAMPLEBACKDOOR1', status: 'Inactive' }]);
    iam.failNextWith('UpdateAccessKey', new ServiceFailureException({ message: 'boom', $metadata: {} }));
    await expect(undoFollowed(step(user, ['AKIAEXAMPLEBACKDOOR1']), { iam: iam.client }, now)).rejects.toThrow('boom');

    iam.failNextWith('DeleteUserPolicy', new ServiceFailureException({ message: 'bang', $metadata: {} }));
    await expect(undoFollowed(step(user), { iam: iam.client }, now)).rejects.toThrow('bang');
  });

  it("deletes a created role's deny", async () => {
    const role: Creation = { kind: 'role', roleName: 'backdoor-role', at: made };
    const iam = new FakeIam().addRole('backdoor-role').addRole('other-role');
    iam.role('backdoor-role')!.inline.set(REVOKE_POLICY_NAME, '{}');
    iam.role('other-role')!.inline.set(REVOKE_POLICY_NAME, '{}');

    const result = await undoFollowed(step(role), { iam: iam.client }, now);

    expect(result).toMatchObject({ status: 'done', reason: `role backdoor-role: deleted ${REVOKE_POLICY_NAME}` });
    expect(result).not.toHaveProperty('changedKeys');
    expect(iam.role('backdoor-role')!.inline.size).toBe(0);
    expect(iam.role('other-role')!.inline.size).toBe(1);
  });

  it('undoes nothing for a listed password or policy', async () => {
    const iam = new FakeIam();
    const listed: Creation = { kind: 'login-profile', userName: 'alice', change: 'changed', at: made };

    expect(await undoFollowed(step(listed), { iam: iam.client }, now)).toBeUndefined();
    expect(iam.requests).toEqual([]);
  });
});

describe('Putting back a followed thing someone undid (the tamper guard, with the writes its role holds)', () => {
  it('deactivates the followed key again, by its own id, whatever its user lists first, and nothing else', async () => {
    const iam = new FakeIam().addUser('build-bot', [{ id: CREATED }, { id: DECOY }]);

    const result = await recontainFollowed(createdKey, { iam: iam.client }, now);

    expect(result).toEqual({
      type: FOLLOW_STEP,
      status: 'done',
      target: CREATED,
      reason: `deactivated ${CREATED} of user build-bot again`,
      at,
      followed: createdKey,
    });
    expect(iam.keyStatus('build-bot', CREATED)).toBe('Inactive');
    expect(iam.keyStatus('build-bot', DECOY)).toBe('Active');
    expect(iam.writes().map((w) => w.name)).toEqual(['UpdateAccessKey']);
    expect(iam.requests.map((r) => r.name)).toEqual(['UpdateAccessKey']);
  });

  it("writes the deny of every session again on a followed user or role, and touches none of the user's keys", async () => {
    const user: Creation = { kind: 'user', userName: 'backdoor', at: made };
    const role: Creation = { kind: 'role', roleName: 'backdoor-role', at: made };
    const iam = new FakeIam().addUser('backdoor', [{ id: DECOY }]).addRole('backdoor-role');

    const forUser = await recontainFollowed(user, { iam: iam.client }, now);
    const forRole = await recontainFollowed(role, { iam: iam.client }, now);

    expect(forUser).toEqual({
      type: FOLLOW_STEP,
      status: 'done',
      target: 'user/backdoor',
      reason: `user backdoor: every session denied again (${REVOKE_POLICY_NAME})`,
      at,
      followed: user,
    });
    expect(forRole).toEqual({
      type: FOLLOW_STEP,
      status: 'done',
      target: 'role/backdoor-role',
      reason: `role backdoor-role: every session denied again (${REVOKE_POLICY_NAME})`,
      at,
      followed: role,
    });
    expect(JSON.parse(iam.user('backdoor')!.inline.get(REVOKE_POLICY_NAME)!)).toEqual(denyEverySession);
    expect(JSON.parse(iam.role('backdoor-role')!.inline.get(REVOKE_POLICY_NAME)!)).toEqual(denyEverySession);
    expect(iam.keyStatus('backdoor', DECOY)).toBe('Active');
    expect(iam.writes().map((w) => w.name)).toEqual(['PutUserPolicy', 'PutRolePolicy']);
  });

  it('changes nothing for what the follow only listed (a policy, a password): a human decides', async () => {
    const listed: Creation = { kind: 'login-profile', userName: 'build-bot', change: 'created', at: made };
    const iam = new FakeIam().addUser('build-bot', [{ id: DECOY }]);

    const result = await recontainFollowed(listed, { iam: iam.client }, now);

    expect(result).toEqual(followSkipped(listed, 'listed, not changed: nothing to put back'));
    expect(result.status).toBe('skipped');
    expect(iam.requests).toEqual([]);
  });
});
