import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  type IAMClient,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type fc from 'fast-check';
import { expect } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import type { DeliveredAlert } from '../../src/local/createAlertSink';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { type Caller, iamChange } from './iamChanges';
import type { lambdaHarness } from './lambdaHarness';
import { loadFixture } from './loadFixture';
import { keyStatuses, uniqueName } from './localAws';
import { reportAbout } from './reports';

/** The attacker's moves (issue 29) and the world's report of the leaked key: each run counts the sequences reaching each. */
export const moves = [
  'report-leaked',
  'create-user',
  'get-created-user-reported',
  'fill-breaker',
  'create-role-at-keystop-path',
  'tag-itself-exempt',
  'retype-victim-finding',
  'note-updated-by-keystop',
  'fill-inline-quota',
  'approve-victim-finding',
  're-enable-leaked-key',
  'delete-deny-policy',
] as const;
export type MoveName = (typeof moves)[number];

interface User {
  userName: string;
  leaked: string;
  decoy: string;
}

/** What the model knows: whether Keystop was asked to contain the leaked key (then it must stay contained). */
export interface AttackModel {
  reported: boolean;
}

export interface AttackReal {
  harness: ReturnType<typeof lambdaHarness>;
  iam: IAMClient;
  sink: { drain(): Promise<DeliveredAlert[]> };
  /** `payroll-sync`: the user whose key leaked (its decoy key must stay Active). */
  payroll: User;
  /** Established users the attacker aims Keystop at; no genuine report names them. */
  victims: User[];
  /** Users and roles the attacker made with the leaked key. */
  made: Set<string>;
  /** The users it made, with their keys, not yet reported. */
  unreported: { userName: string; accessKeyId: string }[];
  reached: Set<MoveName>;
  /** How many principals the account's breaker counts now. */
  breakerCount: () => Promise<number>;
  /** Whether the SCP `keystop scp` produces lets a role the attacker created at /keystop/ tag its user exempt. */
  scpAllowsExemptTag: boolean;
}

const caller = (real: AttackReal): Caller => ({ kind: 'user', name: real.payroll.userName, sourceIp: '198.51.100.23' });

/** An IAM call made with the leaked key, as CloudTrail delivers it: the guard notes what it made or undoes. */
function byLeakedKey(
  real: AttackReal,
  eventName: string,
  request: Record<string, unknown>,
  response: Record<string, unknown> | null = null,
) {
  const event = iamChange(eventName, request, caller(real), uniqueName('call'), response);
  event.detail.userIdentity.accessKeyId = real.payroll.leaked;
  return event;
}

/**
 * Delivers an event. No report about the leaked key is ever held by the breaker; nor one about what the attacker made
 * once the leaked key was reported (before that, its creator is nobody Keystop was asked about: with the CreateDate rule
 * off, as here, it counts like any principal, and the leaked key's containment follows it later).
 */
export async function deliver(model: AttackModel, real: AttackReal, event: unknown) {
  const delivery = await real.harness.deliver(event);
  for (const response of delivery.responses) {
    const credential = response.incident?.credential;
    const principal =
      credential?.kind === 'long-term-key'
        ? `user/${credential.userName}`
        : credential?.kind === 'role-session'
          ? `role/${credential.roleName}`
          : '';
    const sheltered = principal === `user/${real.payroll.userName}` || (model.reported && real.made.has(principal));
    if (sheltered) expect(response.reason, `${principal} held by the breaker`).not.toMatch(/^(breaker-open|still-held)$/);
  }
  return delivery;
}

/**
 * Invariants after every step: decoys and victims keep their keys Active; the leaked key stays contained once Keystop
 * was asked to. At the end of a sequence (`policies`), also: no policy written to or attached to a victim (read once
 * per sequence to keep it cheap: no move and no part of Keystop in the model removes a victim's policy, so one written
 * at any step is still there at the end).
 */
export async function checkInvariants(model: AttackModel, real: AttackReal, { policies = false } = {}) {
  const { payroll } = real;
  const statuses = await keyStatuses(real.iam, payroll.userName);
  expect(statuses[payroll.decoy], 'the decoy key of payroll-sync').toBe('Active');
  if (model.reported) expect(statuses[payroll.leaked], 'the leaked key once reported').toBe('Inactive');
  await Promise.all(
    real.victims.map(async ({ userName, leaked, decoy }) => {
      expect(await keyStatuses(real.iam, userName), userName).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
      if (!policies) return;
      const [inline, attached] = await Promise.all([
        real.iam.send(new ListUserPoliciesCommand({ UserName: userName })),
        real.iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName })),
      ]);
      expect(inline.PolicyNames, userName).toEqual([]);
      expect(attached.AttachedPolicies, userName).toEqual([]);
    }),
  );
}

export class Move implements fc.AsyncCommand<AttackModel, AttackReal> {
  constructor(
    readonly name: MoveName,
    readonly detail: string,
    readonly play: (model: AttackModel, real: AttackReal) => Promise<void>,
  ) {}
  check = () => true;
  async run(model: AttackModel, real: AttackReal) {
    real.reached.add(this.name);
    await this.play(model, real);
    await checkInvariants(model, real);
  }
  toString = () => `${this.name}(${this.detail})`;
}

/** The world: a report about the leaked key (GuardDuty, its Security Hub import, AWS Health); Keystop contains it. */
export const reportLeaked = (kind: 'guardduty-tor' | 'securityhub-tor' | 'health-exposed') =>
  new Move('report-leaked', kind, async (model, real) => {
    const { userName, leaked } = real.payroll;
    const delivery = await deliver(model, real, reportAbout(kind, { userName, accessKeyId: leaked }, uniqueName('leaked')));
    expect(delivery.responses[0]?.outcome, 'the leaked key reported').toMatch(/^(contained|duplicate)$/);
    model.reported = true;
  });

/** Whether the leaked key can still call IAM (the attacker makes things with it only while it is Active). */
const leakedKeyActive = async (real: AttackReal) => (await keyStatuses(real.iam, real.payroll.userName))[real.payroll.leaked] === 'Active';

/** The leaked key creates a user with a key (CloudTrail records both; the guard notes them), while it still can. */
export const createUser = () =>
  new Move('create-user', 'tmp-runner', async (model, real) => {
    if (!(await leakedKeyActive(real))) return;
    const userName = uniqueName('tmp-runner');
    await real.iam.send(new CreateUserCommand({ UserName: userName }));
    const accessKeyId = (await real.iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!;
    real.made.add(`user/${userName}`);
    real.unreported.push({ userName, accessKeyId });
    await deliver(model, real, byLeakedKey(real, 'CreateUser', { userName }));
    await deliver(
      model,
      real,
      byLeakedKey(real, 'CreateAccessKey', { userName }, { accessKey: { userName, accessKeyId, status: 'Active' } }),
    );
  });

/** The attacker uses a user it made from Tor: GuardDuty reports it (before or after the leaked key's own report). */
export const getCreatedUserReported = () =>
  new Move('get-created-user-reported', 'tmp-runner', async (model, real) => {
    const made = real.unreported.shift();
    if (made === undefined) return;
    const delivery = await deliver(model, real, reportAbout('guardduty-tor', made, uniqueName('runner')));
    if (!model.reported) return;
    expect(delivery.responses[0]?.outcome, `${made.userName} reported`).toMatch(/^(contained|duplicate)$/);
    expect((await keyStatuses(real.iam, made.userName))[made.accessKeyId], `the key of ${made.userName}`).toBe('Inactive');
  });

/**
 * The issue's own sequence in one move: two users made and reported before the leaked key is. The breaker (limit 2) is
 * then full of what the attacker made, so the leaked key's report after it (the sequence's last, at least) plays the
 * eviction: it must not be held. Without this move a full breaker before that report was reached by chance only.
 */
export const fillBreaker = () =>
  new Move('fill-breaker', 'tmp-runner x2 reported', async (model, real) => {
    if (!(await leakedKeyActive(real))) return;
    for (const _ of [1, 2]) {
      await createUser().play(model, real);
      await getCreatedUserReported().play(model, real);
    }
    if (!model.reported) expect(await real.breakerCount(), 'the breaker, full of what the attacker made').toBe(2);
  });

/** At the end, once the leaked key is contained: everything it made is too (followed, or contained on its own report). */
export async function checkMadeContained(real: AttackReal) {
  for (const made of real.made) {
    const [kind, name] = made.split('/') as ['user' | 'role', string];
    if (kind === 'user') {
      const statuses = Object.values(await keyStatuses(real.iam, name));
      expect(statuses, `the keys of ${made}`).not.toContain('Active');
    } else {
      expect((await real.iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames, `the deny on ${made}`).toContain(
        REVOKE_POLICY_NAME,
      );
    }
  }
}

/**
 * The leaked key creates a role at Keystop's path (the SCP refuses that where it is attached: the model plays the
 * account where it is not), uses its session from Tor: Keystop contains it like any role, never as one of its own.
 */
export const createRoleAtKeystopPath = (path: string) =>
  new Move('create-role-at-keystop-path', path, async (model, real) => {
    if (!(await leakedKeyActive(real))) return;
    const roleName = uniqueName('pivot');
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: LOCAL_ACCOUNT_ID }, Action: 'sts:AssumeRole' }],
    };
    await real.iam.send(new CreateRoleCommand({ RoleName: roleName, Path: path, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    real.made.add(`role/${roleName}`);
    await deliver(model, real, byLeakedKey(real, 'CreateRole', { roleName, path }));
    const event = loadFixture('guardduty/role-session-exfiltration.json');
    event.id = uniqueName('event');
    Object.assign(event.detail, { id: uniqueName('finding'), accountId: LOCAL_ACCOUNT_ID });
    event.detail.resource.accessKeyDetails.userName = roleName;
    // Each role's session is its own credential.
    event.detail.resource.accessKeyDetails.accessKeyId = `ASIA${roleName
      .replace(/[^a-f0-9]/g, '')
      .toUpperCase()
      .padEnd(16, 'X')}`;
    const delivery = await deliver(model, real, event);
    // Never taken for Keystop's own (keystop-own-principal): contained, or held like any principal its creator's report has not named yet.
    expect(delivery.responses[0]?.reason, `role ${path}${roleName}`).toMatch(/^(matched|escalated|breaker-open)$/);
  });

/** From such a role, the attacker tags its own user keystop:exempt=true: applied only if the SCP lets it (iam-simulate). */
export const tagItselfExempt = () =>
  new Move('tag-itself-exempt', 'keystop:exempt=true', async (_, real) => {
    if (!real.scpAllowsExemptTag) return;
    await real.iam.send(new TagUserCommand({ UserName: real.payroll.userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));
  });

/** The attacker fills payroll-sync's inline-policy quota: every PutUserPolicy on it answers LimitExceeded from now on. */
export const fillInlineQuota = () =>
  new Move('fill-inline-quota', '2,048 characters', async (_, real) => {
    const { userName } = real.payroll;
    real.harness.arm({ call: 'IAM:PutUserPolicy', kind: 'limit', times: 1000, when: (input) => input.UserName === userName });
  });

/** The attacker (with another credential) sets the leaked key Active again; the guard puts it back if Keystop contained it. */
export const reEnableLeakedKey = () =>
  new Move('re-enable-leaked-key', 'UpdateAccessKey Active', async (model, real) => {
    const { userName, leaked } = real.payroll;
    await real.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: leaked, Status: 'Active' }));
    const event = iamChange('UpdateAccessKey', { userName, accessKeyId: leaked, status: 'Active' }, caller(real), uniqueName('re'));
    await deliver(model, real, event);
  });

/** The attacker deletes Keystop's deny policy from payroll-sync; the guard writes it again if Keystop wrote it. */
export const deleteDenyPolicy = () =>
  new Move('delete-deny-policy', REVOKE_POLICY_NAME, async (model, real) => {
    const { userName } = real.payroll;
    const names = (await real.iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
    if (!names.includes(REVOKE_POLICY_NAME)) return;
    await real.iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: REVOKE_POLICY_NAME }));
    await deliver(
      model,
      real,
      iamChange('DeleteUserPolicy', { userName, policyName: REVOKE_POLICY_NAME }, caller(real), uniqueName('del')),
    );
    const inline = (await real.iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
    const attached = (await real.iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))).AttachedPolicies ?? [];
    // Put back by the guard: the inline deny, or AWSDenyAll where the attacker filled the inline quota.
    const denied = inline.includes(REVOKE_POLICY_NAME) || attached.some((p) => p.PolicyName === 'AWSDenyAll');
    expect(denied, "Keystop's deny on payroll-sync, put back by the guard").toBe(true);
  });
