import { ServiceFailureException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import { CONTAINED_AT_TAG, INCIDENT_TAG } from '../../src/actions/tagPrincipal';
import { undoContainment } from '../../src/actions/undoContainment';
import type { Credential } from '../../src/domain/CredentialIncident';
import { FakeIam } from '../support/fakeIam';
import { credentials, incidentAbout } from '../support/incidents';
import { clockStart } from '../support/testClock';

const now = new Date(clockStart());
const at = now.toISOString();
const LEAKED = 'AKIAEXAMPLELEAKED001';
const DECOY = 'AKIAEXAMPLEDECOY0001';
const DENY_ALL = 'arn:aws:iam::aws:policy/AWSDenyAll';

/** build-bot as Keystop's containment left it: the leaked key Inactive, a decoy key that stayed Inactive by itself, the deny and the tags. */
function containedBuildBot() {
  const iam = new FakeIam().addUser('build-bot', [
    { id: LEAKED, status: 'Inactive' },
    { id: DECOY, status: 'Inactive' },
  ]);
  const user = iam.user('build-bot')!;
  user.inline.set(REVOKE_POLICY_NAME, '{}');
  user.tags.set(INCIDENT_TAG, 'i').set(CONTAINED_AT_TAG, at).set('team', 'ci');
  return iam;
}

const undo = (iam: FakeIam, credential: Credential, touched: string[], userKeys?: string[], region = 'eu-west-1') =>
  undoContainment(incidentAbout(credential, { region }), new Set(touched), { iam: iam.client }, now, userKeys);

describe('Undoing a containment (release)', () => {
  it('reactivates exactly the named key, deletes the deny and removes only Keystop’s tags, each step reported', async () => {
    const iam = containedBuildBot();

    const { results, failures } = await undo(iam, credentials['long-term-key'], [
      'deactivate-access-key',
      'revoke-sessions',
      'tag-principal',
    ]);

    expect(failures).toEqual([]);
    expect(results).toEqual([
      { type: 'deactivate-access-key', status: 'done', target: LEAKED, reason: `reactivated ${LEAKED} of build-bot`, at },
      {
        type: 'revoke-sessions',
        status: 'done',
        target: 'user/build-bot',
        reason: `deleted ${REVOKE_POLICY_NAME} from user build-bot`,
        at,
      },
      { type: 'tag-principal', status: 'done', target: 'user/build-bot', reason: "removed Keystop's tags from user build-bot", at },
    ]);
    expect(iam.keyStatus('build-bot', LEAKED)).toBe('Active');
    expect(iam.keyStatus('build-bot', DECOY)).toBe('Inactive');
    expect(iam.user('build-bot')!.inline.size).toBe(0);
    expect(Object.fromEntries(iam.user('build-bot')!.tags)).toEqual({ team: 'ci' });
  });

  it('undoes only the steps the containment carried out', async () => {
    const iam = containedBuildBot();

    const { results } = await undo(iam, credentials['long-term-key'], ['tag-principal']);

    expect(results.map((r) => r.type)).toEqual(['tag-principal']);
    expect(iam.keyStatus('build-bot', LEAKED)).toBe('Inactive');
    expect(iam.user('build-bot')!.inline.has(REVOKE_POLICY_NAME)).toBe(true);
    expect(iam.writes().map((w) => w.name)).toEqual(['UntagUser']);
  });

  it('does not touch a key whose owner the record does not name (IAM would act on the caller’s key)', async () => {
    const iam = containedBuildBot();

    const { results } = await undo(iam, { kind: 'long-term-key', accessKeyId: LEAKED }, ['deactivate-access-key']);

    expect(results).toEqual([]);
    expect(iam.requests).toEqual([]);
  });

  it("never reactivates a session's key (only a long-term key was deactivated), even when the record says deactivate-access-key", async () => {
    const iam = new FakeIam().addUser('alice', [{ id: 'ASIAEXAMPLESESSION01', status: 'Inactive' }]);

    const { results } = await undo(iam, credentials['user-session'], ['deactivate-access-key']);

    expect(results).toEqual([]);
    expect(iam.requests).toEqual([]);
  });

  it('deletes the deny from the role of a role session, and untags the role', async () => {
    const iam = new FakeIam().addRole('ci-deployer').addUser('ci-deployer');
    iam.role('ci-deployer')!.inline.set(REVOKE_POLICY_NAME, '{}');
    iam.role('ci-deployer')!.tags.set(INCIDENT_TAG, 'i');
    iam.user('ci-deployer')!.inline.set(REVOKE_POLICY_NAME, '{}');

    const { results } = await undo(iam, credentials['role-session'], ['revoke-sessions', 'tag-principal', 'deactivate-access-key']);

    expect(results.map((r) => [r.type, r.target, r.reason])).toEqual([
      ['revoke-sessions', 'role/ci-deployer', `deleted ${REVOKE_POLICY_NAME} from role ci-deployer`],
      ['tag-principal', 'role/ci-deployer', "removed Keystop's tags from role ci-deployer"],
    ]);
    expect(iam.role('ci-deployer')!.inline.size).toBe(0);
    expect(iam.role('ci-deployer')!.tags.size).toBe(0);
    expect(iam.user('ci-deployer')!.inline.size).toBe(1);
  });

  it.each([
    ['role', credentials['role-session'], 'eu-west-1', DENY_ALL],
    ['user', credentials['user-session'], 'us-gov-west-1', 'arn:aws-us-gov:iam::aws:policy/AWSDenyAll'],
  ] as const)(
    'detaches the AWSDenyAll a full quota made it attach to the %s, in the partition of the region',
    async (kind, credential, region, arn) => {
      const iam = new FakeIam().addRole('ci-deployer').addUser('alice');
      const principal = kind === 'role' ? iam.role('ci-deployer')! : iam.user('alice')!;
      principal.attached.add(arn).add('arn:aws:iam::aws:policy/ReadOnlyAccess');
      const name = kind === 'role' ? 'ci-deployer' : 'alice';

      const { results, failures } = await undo(iam, credential, ['revoke-sessions'], undefined, region);

      expect(failures).toEqual([]);
      expect(results).toEqual([
        {
          type: 'revoke-sessions',
          status: 'done',
          target: `${kind}/${name}`,
          reason: `detached ${arn} from ${kind} ${name} (attached because its inline-policy quota was full)`,
          at,
        },
      ]);
      expect([...principal.attached]).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    },
  );

  it('skips the deny, not failing, when neither it nor AWSDenyAll is there any more', async () => {
    const iam = new FakeIam().addUser('alice');

    const { results, failures } = await undo(iam, credentials['user-session'], ['revoke-sessions', 'tag-principal']);

    expect(failures).toEqual([]);
    expect(results[0]).toEqual({
      type: 'revoke-sessions',
      status: 'skipped',
      target: 'user/alice',
      reason: `${REVOKE_POLICY_NAME} was already gone`,
    });
    expect(results[1]!.type).toBe('tag-principal');
  });

  it('reports a failing step as failed, with its target, and undoes nothing after it', async () => {
    const iam = containedBuildBot();
    const error = new ServiceFailureException({ message: 'try again', $metadata: {} });
    iam.failNextWith('DeleteUserPolicy', error);

    const { results, failures } = await undo(iam, credentials['long-term-key'], [
      'deactivate-access-key',
      'revoke-sessions',
      'tag-principal',
    ]);

    expect(failures).toEqual([error]);
    expect(results.map((r) => [r.type, r.status])).toEqual([
      ['deactivate-access-key', 'done'],
      ['revoke-sessions', 'failed'],
    ]);
    expect(results[1]).toEqual({
      type: 'revoke-sessions',
      target: 'user/build-bot',
      status: 'failed',
      reason: 'ServiceFailureException: try again',
    });
    expect(iam.user('build-bot')!.tags.has(INCIDENT_TAG)).toBe(true);
  });

  it.each([
    ['DetachUserPolicy', 'revoke-sessions', 'user/build-bot'],
    ['UpdateAccessKey', 'deactivate-access-key', LEAKED],
    ['UntagUser', 'tag-principal', 'user/build-bot'],
  ])('fails the step when %s fails for another reason than a missing entity', async (request, type, target) => {
    const iam = new FakeIam().addUser('build-bot', [{ id: LEAKED, status: 'Inactive' }]);
    const error = new ServiceFailureException({ message: 'boom', $metadata: {} });
    iam.failNextWith(request, error);

    const { results, failures } = await undo(iam, credentials['long-term-key'], [
      'deactivate-access-key',
      'revoke-sessions',
      'tag-principal',
    ]);

    expect(failures).toEqual([error]);
    expect(results.at(-1)).toEqual({ type, target, status: 'failed', reason: 'ServiceFailureException: boom' });
  });

  describe('deactivate-user-keys', () => {
    const userKeys = ['AKIAEXAMPLEAPPKEY001', 'AKIAEXAMPLEAPPKEY003'];
    const legacyApp = () =>
      new FakeIam().addUser('legacy-app', [
        { id: 'AKIAEXAMPLEAPPKEY001', status: 'Inactive' },
        { id: 'AKIAEXAMPLEAPPKEY002', status: 'Inactive' },
        { id: 'AKIAEXAMPLEAPPKEY003', status: 'Inactive' },
      ]);

    it('reactivates exactly the keys it deactivated, not a key that was inactive before', async () => {
      const iam = legacyApp();

      const { results } = await undo(iam, credentials['iam-user'], ['deactivate-user-keys'], userKeys);

      expect(results).toEqual([
        {
          type: 'deactivate-user-keys',
          status: 'done',
          target: 'user/legacy-app',
          changedKeys: userKeys,
          reason: `reactivated the 2 key(s) of user legacy-app Keystop had deactivated: ${userKeys.join(', ')}`,
          at,
        },
      ]);
      expect(iam.keyStatus('legacy-app', 'AKIAEXAMPLEAPPKEY001')).toBe('Active');
      expect(iam.keyStatus('legacy-app', 'AKIAEXAMPLEAPPKEY002')).toBe('Inactive');
      expect(iam.keyStatus('legacy-app', 'AKIAEXAMPLEAPPKEY003')).toBe('Active');
    });

    it('names the keys deleted since instead of failing on them', async () => {
      const iam = new FakeIam().addUser('legacy-app', [{ id: 'AKIAEXAMPLEAPPKEY001', status: 'Inactive' }]);

      const { results, failures } = await undo(iam, credentials['iam-user'], ['deactivate-user-keys'], userKeys);

      expect(failures).toEqual([]);
      expect(results[0]!.changedKeys).toEqual(['AKIAEXAMPLEAPPKEY001']);
      expect(results[0]!.reason).toBe(
        'reactivated the 1 key(s) of user legacy-app Keystop had deactivated: AKIAEXAMPLEAPPKEY001; deleted since: AKIAEXAMPLEAPPKEY003',
      );
    });

    it('says "none" when every key it had deactivated was deleted since, and names each', async () => {
      const iam = new FakeIam().addUser('legacy-app');

      const { results } = await undo(iam, credentials['iam-user'], ['deactivate-user-keys'], userKeys);

      expect(results[0]!.status).toBe('done');
      expect(results[0]!.reason).toBe(
        'reactivated the 0 key(s) of user legacy-app Keystop had deactivated: none; deleted since: AKIAEXAMPLEAPPKEY001, AKIAEXAMPLEAPPKEY003',
      );
    });

    it('fails on any other error while reactivating a key', async () => {
      const iam = legacyApp();
      iam.failNextWith('UpdateAccessKey', new ServiceFailureException({ message: 'boom', $metadata: {} }));

      const { results, failures } = await undo(iam, credentials['iam-user'], ['deactivate-user-keys'], userKeys);

      expect(failures).toHaveLength(1);
      expect(results).toEqual([
        { type: 'deactivate-user-keys', target: 'user/legacy-app', status: 'failed', reason: 'ServiceFailureException: boom' },
      ]);
    });

    it('does not reactivate the named key twice when deactivate-access-key undid it already', async () => {
      const iam = new FakeIam().addUser('build-bot', [
        { id: LEAKED, status: 'Inactive' },
        { id: DECOY, status: 'Inactive' },
      ]);

      const { results } = await undo(iam, credentials['long-term-key'], ['deactivate-access-key', 'deactivate-user-keys'], [LEAKED, DECOY]);

      expect(iam.writes().map((w) => w.input.AccessKeyId)).toEqual([LEAKED, DECOY]);
      expect(results[1]!.changedKeys).toEqual([DECOY]);
    });

    it('reactivates the named key with the others when only deactivate-user-keys touched it', async () => {
      const iam = new FakeIam().addUser('build-bot', [
        { id: LEAKED, status: 'Inactive' },
        { id: DECOY, status: 'Inactive' },
      ]);

      const { results } = await undo(iam, credentials['long-term-key'], ['deactivate-user-keys'], [LEAKED, DECOY]);

      expect(results.map((r) => r.type)).toEqual(['deactivate-user-keys']);
      expect(results[0]!.changedKeys).toEqual([LEAKED, DECOY]);
    });

    it('is done, with nothing left to reactivate, when the only key it deactivated was the named key, undone above', async () => {
      const iam = new FakeIam().addUser('build-bot', [{ id: LEAKED, status: 'Inactive' }]);

      const { results } = await undo(iam, credentials['long-term-key'], ['deactivate-access-key', 'deactivate-user-keys'], [LEAKED]);

      expect(results[1]).toEqual({
        type: 'deactivate-user-keys',
        status: 'done',
        target: 'user/build-bot',
        changedKeys: [],
        reason: 'reactivated the 0 key(s) of user build-bot Keystop had deactivated: none',
        at,
      });
    });

    it('leaves it to a person when the record does not say which keys were deactivated', async () => {
      const iam = legacyApp();

      const { results } = await undo(iam, credentials['iam-user'], ['deactivate-user-keys']);

      expect(results).toEqual([
        {
          type: 'deactivate-user-keys',
          status: 'skipped',
          target: 'user/legacy-app',
          reason: "not undone: reactivate the user's keys by hand, one by one",
        },
      ]);
      expect(iam.requests).toEqual([]);
    });

    it('leaves it to a person when the principal is not a user', async () => {
      const iam = new FakeIam().addUser('ci-deployer', [{ id: 'AKIAEXAMPLEAPPKEY001', status: 'Inactive' }]);

      const { results } = await undo(iam, credentials['role-session'], ['deactivate-user-keys'], ['AKIAEXAMPLEAPPKEY001']);

      expect(results[0]).toMatchObject({ status: 'skipped', target: 'role/ci-deployer' });
      expect(iam.requests).toEqual([]);
    });

    it('names no target for a credential without an IAM principal', async () => {
      const { results } = await undo(new FakeIam(), credentials.root, ['deactivate-user-keys', 'revoke-sessions', 'tag-principal']);

      expect(results).toEqual([
        {
          type: 'deactivate-user-keys',
          status: 'skipped',
          target: 'none',
          reason: "not undone: reactivate the user's keys by hand, one by one",
        },
      ]);
    });
  });
});
