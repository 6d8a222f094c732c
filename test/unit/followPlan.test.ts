import { describe, expect, it } from 'vitest';
import { FOLLOW_PERMISSIONS, followActOf, followedPrincipal, followHeldBy } from '../../src/decide/followPlan';
import { type Guardrails, noGuardrails } from '../../src/decide/Guardrails';
import type { Creation } from '../../src/domain/Creation';
import { credentials, incidentAbout } from '../support/incidents';

const at = '2026-10-02T08:20:00Z';
const key: Creation = { kind: 'access-key', userName: 'backdoor', accessKeyId: 'AKIAEXAMPLECREATED01', at };
const user: Creation = { kind: 'user', userName: 'backdoor', at };
const role: Creation = { kind: 'role', roleName: 'backdoor-role', at };
const password: Creation = { kind: 'login-profile', userName: 'alice', change: 'created', at };
const policy: Creation = {
  kind: 'policy',
  on: 'user',
  name: 'alice',
  policy: 'arn:aws:iam::aws:policy/AdministratorAccess',
  how: 'attached',
  at,
};

// The creator: build-bot's key in 111122223333, a member account of a Keystop running in 999900001111.
const creator = incidentAbout(credentials['long-term-key']);
const none = { tags: {}, path: undefined };

describe('Following what a contained key made: what is done to each creation', () => {
  it.each([
    [key, 'deactivate-key', { kind: 'user', name: 'backdoor' }],
    [user, 'contain-user', { kind: 'user', name: 'backdoor' }],
    [role, 'deny-role', { kind: 'role', name: 'backdoor-role' }],
    [password, 'list', undefined],
    [policy, 'list', undefined],
  ] as const)('%o: %s', (creation, act, principal) => {
    expect(followActOf(creation)).toBe(act);
    expect(followedPrincipal(creation)).toEqual(principal);
  });

  it('takes the permissions the follow actions use', () => {
    expect([...FOLLOW_PERMISSIONS]).toEqual([
      'iam:GetRole',
      'iam:GetUser',
      'iam:ListAccessKeys',
      'iam:PutRolePolicy',
      'iam:PutUserPolicy',
      'iam:UpdateAccessKey',
    ]);
  });
});

describe('Following what a contained key made: the same rails as a report', () => {
  it('holds nothing back without a rail', () => {
    for (const creation of [key, user, role]) expect(followHeldBy(creation, creator, noGuardrails, none)).toBeUndefined();
  });

  it('never holds back a listed creation: nothing is changed', () => {
    const all: Guardrails = { ...noGuardrails, dryRun: true, exemptPrincipals: ['*'] };

    expect(followHeldBy(password, creator, all, none)).toBeUndefined();
    expect(followHeldBy(policy, creator, all, none)).toBeUndefined();
  });

  it('holds back in dry-run, after every exemption', () => {
    expect(followHeldBy(role, creator, { ...noGuardrails, dryRun: true }, none)).toBe('dry-run: nothing is changed');
    expect(followHeldBy(key, creator, { ...noGuardrails, dryRun: true, exemptPrincipals: ['backdoor'] }, none)).toBe(
      'exempt-principal: user backdoor matches the exemption backdoor',
    );
  });

  it('holds back a principal exempt by name, as a user or a role, not another', () => {
    const guardrails = { ...noGuardrails, exemptPrincipals: ['backdoor*'] };

    expect(followHeldBy(user, creator, guardrails, none)).toBe('exempt-principal: user backdoor matches the exemption backdoor*');
    expect(followHeldBy(role, creator, guardrails, none)).toBe('exempt-principal: role backdoor-role matches the exemption backdoor*');
    expect(followHeldBy(user, creator, { ...noGuardrails, exemptPrincipals: ['alice'] }, none)).toBeUndefined();
  });

  it("matches an ARN exemption against the created principal's live path in the creator's account", () => {
    const guardrails = { ...noGuardrails, exemptPrincipals: ['arn:aws:iam::111122223333:role/platform/*'] };

    expect(followHeldBy(role, creator, guardrails, { tags: {}, path: '/platform/' })).toBe(
      'exempt-principal: role backdoor-role matches the exemption arn:aws:iam::111122223333:role/platform/*',
    );
    expect(followHeldBy(role, creator, guardrails, { tags: {}, path: '/' })).toBeUndefined();
    expect(followHeldBy(role, creator, guardrails, none)).toBeUndefined();
  });

  it('matches a user exemption ARN against a created user, and a role ARN only against a created role', () => {
    const guardrails = { ...noGuardrails, exemptPrincipals: ['arn:aws:iam::111122223333:user/backdoor'] };

    expect(followHeldBy(user, creator, guardrails, { tags: {}, path: '/' })).toBe(
      'exempt-principal: user backdoor matches the exemption arn:aws:iam::111122223333:user/backdoor',
    );
    const roleNamedLikeIt: Creation = { kind: 'role', roleName: 'backdoor', at };
    expect(followHeldBy(roleNamedLikeIt, creator, guardrails, { tags: {}, path: '/' })).toBeUndefined();
  });

  it("protects only a role by Keystop's member role name: a user the attacker gives that name is contained", () => {
    const own: Guardrails = {
      ...noGuardrails,
      accounts: { own: '999900001111', members: ['*'] },
      ownRoles: { functionRoleNames: [], memberRoleName: 'backdoor' },
    };

    expect(followHeldBy(user, creator, own, { tags: {}, path: '/' })).toBeUndefined();
  });

  it('holds back a principal carrying the exemption tag with its value (read live), not another value', () => {
    const guardrails = { ...noGuardrails, exemptTag: { key: 'keystop:exempt', value: 'true' } };

    expect(followHeldBy(user, creator, guardrails, { tags: { 'keystop:exempt': 'true' }, path: '/' })).toBe(
      'exempt-principal: user backdoor carries keystop:exempt=true',
    );
    expect(followHeldBy(user, creator, guardrails, { tags: { 'keystop:exempt': 'false' }, path: '/' })).toBeUndefined();
    expect(followHeldBy(user, creator, noGuardrails, { tags: { 'keystop:exempt': 'true' }, path: '/' })).toBeUndefined();
  });

  it("never changes Keystop's own roles nor AWS-managed roles: the path decides, not the name the attacker chose", () => {
    const own: Guardrails = {
      ...noGuardrails,
      accounts: { own: '999900001111', members: ['*'] },
      ownRoles: { functionRoleNames: [], memberRoleName: 'backdoor-role' },
    };

    expect(followHeldBy(role, creator, own, none)).toMatch(/^keystop-own-principal: role backdoor-role is Keystop's member role/);
    const sso: Creation = { kind: 'role', roleName: 'AWSReservedSSO_Admin_0123', at };
    expect(followHeldBy(sso, creator, noGuardrails, { tags: {}, path: '/aws-reserved/sso.amazonaws.com/' })).toMatch(
      /^aws-managed-principal: role AWSReservedSSO_Admin_0123 is an IAM Identity Center \(SSO\) role/,
    );
    expect(followHeldBy(sso, creator, noGuardrails, { tags: {}, path: '/attacker/' })).toBeUndefined();
  });
});
