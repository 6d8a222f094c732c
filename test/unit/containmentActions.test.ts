import { ServiceFailureException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { actionCatalog, actionTypes } from '../../src/actions/actionCatalog';
import { containmentActions } from '../../src/actions/containmentActions';
import { deactivateAccessKey } from '../../src/actions/deactivateAccessKey';
import { deactivateUserKeys } from '../../src/actions/deactivateUserKeys';
import { REVOKE_POLICY_NAME, revocationPolicy, revokeSessions } from '../../src/actions/revokeSessions';
import { CONTAINED_AT_TAG, INCIDENT_TAG, tagPrincipal } from '../../src/actions/tagPrincipal';
import type { Credential } from '../../src/domain/CredentialIncident';
import { FakeIam } from '../support/fakeIam';
import { credentials, incidentAbout } from '../support/incidents';
import { clockStart } from '../support/testClock';

const now = new Date(clockStart());
const LEAKED = 'AKIAEXAMPLELEAKED001';
const DECOY = 'AKIAEXAMPLEDECOY0001';

/** build-bot with the leaked key and, created after it (so listed first), a decoy key. */
const buildBotWithDecoy = () =>
  new FakeIam().addUser('build-bot', [{ id: LEAKED }, { id: DECOY }]).addUser('other', [{ id: 'AKIAEXAMPLEOTHER0001' }]);

const about = (credential: Credential, region = 'eu-west-1') => ({ incident: incidentAbout(credential, { region }), now });

describe('Action: deactivate-access-key', () => {
  it('deactivates exactly the key named in the finding, not the first key its user lists', async () => {
    const iam = buildBotWithDecoy();

    const result = await deactivateAccessKey.run(about(credentials['long-term-key']), { iam: iam.client });

    expect(result).toEqual({ status: 'done', target: LEAKED, reason: `deactivated access key ${LEAKED} of user build-bot` });
    expect(iam.keyStatus('build-bot', LEAKED)).toBe('Inactive');
    expect(iam.keyStatus('build-bot', DECOY)).toBe('Active');
    expect(iam.writes()).toEqual([{ name: 'UpdateAccessKey', input: { UserName: 'build-bot', AccessKeyId: LEAKED, Status: 'Inactive' } }]);
  });

  it("asks IAM whose key it is when the report did not name the owner, and names that user (IAM would act on the caller's key)", async () => {
    const iam = buildBotWithDecoy();

    const result = await deactivateAccessKey.run(about({ kind: 'long-term-key', accessKeyId: LEAKED }), { iam: iam.client });

    expect(result.reason).toBe(`deactivated access key ${LEAKED} of user build-bot`);
    expect(iam.requests.map((r) => r.name)).toEqual(['GetAccessKeyLastUsed', 'UpdateAccessKey']);
    expect(iam.requests[1]!.input).toEqual({ UserName: 'build-bot', AccessKeyId: LEAKED, Status: 'Inactive' });
    expect(iam.keyStatus('build-bot', DECOY)).toBe('Active');
  });

  it('fails, changing nothing, when IAM does not name the owner of an unnamed key', async () => {
    const iam = buildBotWithDecoy();

    await expect(
      deactivateAccessKey.run(about({ kind: 'long-term-key', accessKeyId: 'AKIAEXAMPLEUNKNOWN01' }), { iam: iam.client }),
    ).rejects.toThrow('IAM did not name the owner of access key AKIAEXAMPLEUNKNOWN01');
    expect(iam.writes()).toEqual([]);
  });

  it.each(['role-session', 'user-session', 'iam-user', 'root'] as const)(
    'skips a %s, which has no long-term key, without a request',
    async (kind) => {
      const iam = buildBotWithDecoy();

      const result = await deactivateAccessKey.run(about(credentials[kind]), { iam: iam.client });

      expect(result).toEqual({ status: 'skipped', target: 'none', reason: `a ${kind} has no long-term key to deactivate` });
      expect(iam.requests).toEqual([]);
    },
  );

  it("lets IAM's failure through (the step is reported failed and retried), with the key still Active", async () => {
    const iam = buildBotWithDecoy().failNextWith('UpdateAccessKey', new ServiceFailureException({ message: 'try again', $metadata: {} }));

    await expect(deactivateAccessKey.run(about(credentials['long-term-key']), { iam: iam.client })).rejects.toThrow('try again');
    expect(iam.keyStatus('build-bot', LEAKED)).toBe('Active');
  });
});

describe('Action: deactivate-user-keys', () => {
  it("deactivates every active key of the named user, reports exactly those, and leaves other users' keys alone", async () => {
    const iam = new FakeIam()
      .addUser('legacy-app', [
        { id: 'AKIAEXAMPLEAPPKEY001' },
        { id: 'AKIAEXAMPLEAPPKEY002', status: 'Inactive' },
        { id: 'AKIAEXAMPLEAPPKEY003' },
      ])
      .addUser('other', [{ id: 'AKIAEXAMPLEOTHER0001' }]);

    const result = await deactivateUserKeys.run(about(credentials['iam-user']), { iam: iam.client });

    expect(result).toEqual({
      status: 'done',
      target: 'user/legacy-app',
      changedKeys: ['AKIAEXAMPLEAPPKEY003', 'AKIAEXAMPLEAPPKEY001'],
      reason: 'deactivated 2 active key(s) of user legacy-app: AKIAEXAMPLEAPPKEY003, AKIAEXAMPLEAPPKEY001',
    });
    expect(iam.keyStatus('legacy-app', 'AKIAEXAMPLEAPPKEY001')).toBe('Inactive');
    expect(iam.keyStatus('legacy-app', 'AKIAEXAMPLEAPPKEY003')).toBe('Inactive');
    expect(iam.keyStatus('other', 'AKIAEXAMPLEOTHER0001')).toBe('Active');
    // The inactive key is not written again (a release must not reactivate it: it is not in changedKeys either).
    expect(iam.writes().map((w) => w.input.AccessKeyId)).toEqual(['AKIAEXAMPLEAPPKEY003', 'AKIAEXAMPLEAPPKEY001']);
    expect(iam.writes().every((w) => w.input.UserName === 'legacy-app' && w.input.Status === 'Inactive')).toBe(true);
  });

  it('says so when the user had no active key, and changes nothing', async () => {
    const iam = new FakeIam().addUser('legacy-app', [{ id: 'AKIAEXAMPLEAPPKEY002', status: 'Inactive' }]);

    const result = await deactivateUserKeys.run(about(credentials['iam-user']), { iam: iam.client });

    expect(result).toEqual({ status: 'done', target: 'user/legacy-app', changedKeys: [], reason: 'user legacy-app had no active key' });
    expect(iam.writes()).toEqual([]);
  });

  it("deactivates the leaked key's user's keys for a long-term key and a user session", async () => {
    const iam = new FakeIam().addUser('build-bot', [{ id: LEAKED }, { id: DECOY }]).addUser('alice', [{ id: 'AKIAEXAMPLEALICE0001' }]);

    await deactivateUserKeys.run(about(credentials['long-term-key']), { iam: iam.client });
    await deactivateUserKeys.run(about(credentials['user-session']), { iam: iam.client });

    expect(iam.keyStatus('build-bot', LEAKED)).toBe('Inactive');
    expect(iam.keyStatus('build-bot', DECOY)).toBe('Inactive');
    expect(iam.keyStatus('alice', 'AKIAEXAMPLEALICE0001')).toBe('Inactive');
  });

  it.each(['role-session', 'root', 'federated-session', 'unmapped'] as const)('skips a %s, which names no IAM user', async (kind) => {
    const iam = new FakeIam();

    const result = await deactivateUserKeys.run(about(credentials[kind]), { iam: iam.client });

    expect(result).toEqual({ status: 'skipped', target: 'none', reason: 'no IAM user is named, so there are no keys to deactivate' });
    expect(iam.requests).toEqual([]);
  });
});

describe('Action: revoke-sessions', () => {
  it("writes the deny of sessions issued before now on the session's role, under Keystop's one policy name", async () => {
    const iam = new FakeIam().addRole('ci-deployer').addRole('other-role');

    const result = await revokeSessions.run(about(credentials['role-session']), { iam: iam.client });

    expect(result).toEqual({
      status: 'done',
      target: 'role/ci-deployer',
      reason: `denied every session of role ci-deployer issued before ${now.toISOString()} (inline policy ${REVOKE_POLICY_NAME}); new sessions work`,
    });
    expect([...iam.role('ci-deployer')!.inline]).toEqual([[REVOKE_POLICY_NAME, revocationPolicy(now)]]);
    expect(iam.role('other-role')!.inline.size).toBe(0);
    expect(iam.writes().map((w) => w.name)).toEqual(['PutRolePolicy']);
  });

  it("writes it on the session's user for a user session", async () => {
    const iam = new FakeIam().addUser('alice');

    const result = await revokeSessions.run(about(credentials['user-session']), { iam: iam.client });

    expect(result.target).toBe('user/alice');
    expect(result.reason).toContain('denied every session of user alice issued before');
    expect(iam.user('alice')!.inline.get(REVOKE_POLICY_NAME)).toBe(revocationPolicy(now));
  });

  it('denies every action to tokens issued before the cut-off, and nothing else', () => {
    expect(JSON.parse(revocationPolicy(now))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'KeystopRevokeOlderSessions',
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { DateLessThan: { 'aws:TokenIssueTime': now.toISOString() } },
        },
      ],
    });
  });

  it.each([
    ['role', credentials['role-session'], 'eu-west-1', 'arn:aws:iam::aws:policy/AWSDenyAll'],
    ['user', credentials['user-session'], 'us-gov-west-1', 'arn:aws-us-gov:iam::aws:policy/AWSDenyAll'],
    ['user', credentials['user-session'], 'cn-north-1', 'arn:aws-cn:iam::aws:policy/AWSDenyAll'],
  ] as const)(
    "attaches AWSDenyAll of the region's partition when the %s's inline-policy quota is full (%s)",
    async (kind, credential, region, arn) => {
      const name = kind === 'role' ? 'ci-deployer' : 'alice';
      const iam = new FakeIam().addRole('ci-deployer', { inlineQuotaFull: true }).addUser('alice', [], { inlineQuotaFull: true });

      const result = await revokeSessions.run(about(credential, region), { iam: iam.client });

      const principal = kind === 'role' ? iam.role(name)! : iam.user(name)!;
      expect([...principal.attached]).toEqual([arn]);
      expect(principal.inline.size).toBe(0);
      expect(result).toEqual({
        status: 'done',
        target: `${kind}/${name}`,
        reason:
          `the ${kind}'s inline-policy quota is full (LimitExceeded), so the session deny could not be written: ` +
          `attached ${arn} instead, which denies every session of ${kind} ${name}, new ones too, until a responder detaches it`,
      });
    },
  );

  it('does not fall back to AWSDenyAll on any other failure: it lets the error through', async () => {
    const iam = new FakeIam()
      .addRole('ci-deployer')
      .failNextWith('PutRolePolicy', new ServiceFailureException({ message: 'try again', $metadata: {} }));

    await expect(revokeSessions.run(about(credentials['role-session']), { iam: iam.client })).rejects.toThrow('try again');
    expect(iam.role('ci-deployer')!.attached.size).toBe(0);
    expect(iam.writes().map((w) => w.name)).toEqual(['PutRolePolicy']);
  });

  it('takes LimitExceeded by its name, with or without the Exception suffix, and nothing that only contains it', async () => {
    const named = (name: string) => Object.assign(new Error('quota'), { name });
    const attempt = async (name: string) => {
      const iam = new FakeIam().addRole('ci-deployer').failNextWith('PutRolePolicy', named(name));
      const outcome = await revokeSessions.run(about(credentials['role-session']), { iam: iam.client }).catch(() => 'thrown');
      return outcome === 'thrown' ? 'thrown' : [...iam.role('ci-deployer')!.attached].length;
    };

    expect(await attempt('LimitExceeded')).toBe(1);
    expect(await attempt('LimitExceededException')).toBe(1);
    expect(await attempt('NotLimitExceeded')).toBe('thrown');
    expect(await attempt('LimitExceededExceptionX')).toBe('thrown');
  });

  it('does not take a thrown non-error for a full quota', async () => {
    const iam = new FakeIam().addRole('ci-deployer');
    iam.failNextWith('PutRolePolicy', { name: 'LimitExceeded' } as Error);

    await expect(revokeSessions.run(about(credentials['role-session']), { iam: iam.client })).rejects.toEqual({ name: 'LimitExceeded' });
  });

  it.each(['root', 'federated-session', 'unmapped'] as const)('skips a %s, which has no IAM principal', async (kind) => {
    const iam = new FakeIam();

    const result = await revokeSessions.run(about(credentials[kind]), { iam: iam.client });

    expect(result).toEqual({ status: 'skipped', target: 'none', reason: `a ${kind} has no sessions to revoke` });
    expect(iam.requests).toEqual([]);
  });
});

describe('Action: tag-principal', () => {
  it('tags the role of a session with the incident id and the containment time', async () => {
    const iam = new FakeIam().addRole('ci-deployer');

    const result = await tagPrincipal.run(about(credentials['role-session']), { iam: iam.client });

    const id = 'guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90';
    expect(result).toEqual({ status: 'done', target: 'role/ci-deployer', reason: `tagged ${INCIDENT_TAG}=${id}` });
    expect(Object.fromEntries(iam.role('ci-deployer')!.tags)).toEqual({ [INCIDENT_TAG]: id, [CONTAINED_AT_TAG]: now.toISOString() });
    // The tag keys are what people filter on in the console, and what a release removes from earlier containments.
    expect([INCIDENT_TAG, CONTAINED_AT_TAG]).toEqual(['keystop:incident', 'keystop:contained-at']);
  });

  it("tags the key's user, and writes an incident id as a valid IAM tag value (other characters as _, at most 256)", async () => {
    const iam = new FakeIam().addUser('build-bot');
    const id = `security-hub:111122223333:arn:aws:x/y#z?${'a'.repeat(300)}`;

    const result = await tagPrincipal.run({ incident: incidentAbout(credentials['long-term-key'], { id }), now }, { iam: iam.client });

    const value = `security-hub:111122223333:arn:aws:x/y_z_${'a'.repeat(300)}`.slice(0, 256);
    expect(iam.user('build-bot')!.tags.get(INCIDENT_TAG)).toBe(value);
    expect(value).toHaveLength(256);
    expect(result).toEqual({ status: 'done', target: 'user/build-bot', reason: `tagged ${INCIDENT_TAG}=${value}` });
    expect(iam.writes().map((w) => w.name)).toEqual(['TagUser']);
  });

  it('keeps letters, digits, spaces and _.:/=+-@ of an incident id as they are', async () => {
    const iam = new FakeIam().addUser('alice');
    const id = 'Ünïcode 42 _.:/=+-@ kept';

    await tagPrincipal.run({ incident: incidentAbout(credentials['user-session'], { id }), now }, { iam: iam.client });

    expect(iam.user('alice')!.tags.get(INCIDENT_TAG)).toBe(id);
  });

  it.each(['root', 'federated-session', 'unmapped'] as const)('skips a %s, whose owner is not an IAM principal', async (kind) => {
    const iam = new FakeIam();

    const result = await tagPrincipal.run(about(credentials[kind]), { iam: iam.client });

    expect(result).toEqual({ status: 'skipped', target: 'none', reason: 'the owner of the key is not known, so there is nothing to tag' });
    expect(iam.requests).toEqual([]);
  });
});

describe('The action catalog, as the actions carry it', () => {
  it('has one implementation per action type, carrying its catalog entry', () => {
    expect(Object.keys(containmentActions).sort()).toEqual([...actionTypes].sort());
    for (const type of actionTypes) {
      expect(containmentActions[type].type).toBe(type);
      expect(containmentActions[type].permissions).toEqual(actionCatalog[type].permissions);
      expect(containmentActions[type].appliesTo).toEqual(actionCatalog[type].appliesTo);
    }
  });

  it('contains each credential kind only with an action that applies to it', () => {
    expect(actionCatalog['deactivate-access-key'].appliesTo).toEqual(['long-term-key']);
    expect([...actionCatalog['revoke-sessions'].appliesTo].sort()).toEqual(['role-session', 'user-session']);
    expect([...actionCatalog['tag-principal'].appliesTo].sort()).toEqual(['iam-user', 'long-term-key', 'role-session', 'user-session']);
    expect([...actionCatalog['deactivate-user-keys'].appliesTo].sort()).toEqual(['iam-user', 'long-term-key', 'user-session']);
  });

  it('names what each action would touch, and describes it for "would have" reports', () => {
    const key = incidentAbout(credentials['long-term-key']);
    const role = incidentAbout(credentials['role-session']);
    const root = incidentAbout(credentials.root);

    expect(actionCatalog['deactivate-access-key'].targetOf(key)).toBe(LEAKED);
    expect(actionCatalog['deactivate-access-key'].targetOf(role)).toBe('none');
    expect(actionCatalog['deactivate-access-key'].describe(key)).toBe(`deactivate access key ${LEAKED}`);
    expect(actionCatalog['revoke-sessions'].targetOf(role)).toBe('role/ci-deployer');
    expect(actionCatalog['revoke-sessions'].targetOf(root)).toBe('none');
    expect(actionCatalog['revoke-sessions'].describe(role)).toBe('deny sessions of role/ci-deployer issued before now');
    expect(actionCatalog['tag-principal'].targetOf(key)).toBe('user/build-bot');
    expect(actionCatalog['tag-principal'].describe(key)).toBe('tag user/build-bot with the incident id');
    expect(actionCatalog['deactivate-user-keys'].targetOf(key)).toBe('user/build-bot');
    expect(actionCatalog['deactivate-user-keys'].targetOf(role)).toBe('none');
    expect(actionCatalog['deactivate-user-keys'].targetOf(root)).toBe('none');
    expect(actionCatalog['deactivate-user-keys'].describe(key)).toBe('deactivate every active key of user/build-bot');
  });
});
