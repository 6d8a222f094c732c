import { describe, expect, it } from 'vitest';
import type { ResponsePolicy } from '../../src/decide/ResponsePolicy';
import { GUARD_ACTIONS, guardPermissions, requiredPermissions } from '../../src/decide/requiredPermissions';

const policy = (overrides: Partial<ResponsePolicy>): ResponsePolicy => ({
  name: 'p',
  description: 'd',
  match: {},
  mode: 'contain',
  actions: [],
  ...overrides,
});

const readPrincipal = ['iam:GetRole', 'iam:GetUser'];
// deactivate-access-key also reads the key's status first, and follows what the key made.
const deactivateKey = [
  'iam:GetAccessKeyLastUsed',
  'iam:GetRole',
  'iam:GetUser',
  'iam:ListAccessKeys',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:UpdateAccessKey',
];

describe("The IAM permissions a source's function needs for the policies", () => {
  it("grants a containing policy's actions for the sources it can match, with the reads of the principal, sorted", () => {
    const tag = policy({ match: { source: ['health'] }, actions: [{ type: 'tag-principal' }] });

    expect(requiredPermissions([tag], 'health')).toEqual(['iam:GetRole', 'iam:GetUser', 'iam:TagRole', 'iam:TagUser']);
    expect(requiredPermissions([tag], 'guardduty')).toEqual([]);
  });

  it('grants nothing for a notify-only policy, but does for a dry-run one (it acts once switched)', () => {
    const actions: ResponsePolicy['actions'] = [{ type: 'tag-principal' }];

    expect(requiredPermissions([policy({ mode: 'notify-only', actions })], 'guardduty')).toEqual([]);
    expect(requiredPermissions([policy({ mode: 'dry-run', actions })], 'guardduty')).toEqual([
      'iam:GetRole',
      'iam:GetUser',
      'iam:TagRole',
      'iam:TagUser',
    ]);
  });

  it('takes a policy without a source for every source, and source patterns as EventBridge reads them', () => {
    const actions: ResponsePolicy['actions'] = [{ type: 'revoke-sessions' }];
    const revoke = ['iam:AttachRolePolicy', 'iam:AttachUserPolicy', ...readPrincipal, 'iam:PutRolePolicy', 'iam:PutUserPolicy'];

    expect(requiredPermissions([policy({ actions })], 'cloudtrail')).toEqual(revoke);
    expect(requiredPermissions([policy({ match: { source: [{ 'anything-but': 'health' }] }, actions })], 'guardduty')).toEqual(revoke);
    expect(requiredPermissions([policy({ match: { source: [{ 'anything-but': 'health' }] }, actions })], 'health')).toEqual([]);
    expect(requiredPermissions([policy({ match: { source: ['health', 'guardduty'] }, actions })], 'guardduty')).toEqual(revoke);
  });

  it('grants no read of the principal to a policy without actions', () => {
    expect(requiredPermissions([policy({ actions: [] })], 'guardduty')).toEqual([]);
  });

  it("adds the key-status read and the follow-up's permissions only with deactivate-access-key", () => {
    expect(requiredPermissions([policy({ actions: [{ type: 'deactivate-access-key' }] })], 'guardduty')).toEqual(deactivateKey);
    expect(requiredPermissions([policy({ actions: [{ type: 'deactivate-user-keys' }] })], 'guardduty')).toEqual([
      ...readPrincipal,
      'iam:ListAccessKeys',
      'iam:UpdateAccessKey',
    ]);
  });

  it('is the union over every policy reachable from the source, each permission once', () => {
    const policies = [
      policy({ name: 'a', match: { source: ['guardduty'] }, actions: [{ type: 'deactivate-access-key' }] }),
      policy({ name: 'b', match: { source: ['guardduty'] }, actions: [{ type: 'deactivate-user-keys' }, { type: 'tag-principal' }] }),
    ];

    expect(requiredPermissions(policies, 'guardduty')).toEqual([...deactivateKey, 'iam:TagRole', 'iam:TagUser'].sort());
  });
});

describe("The tamper guard's permissions", () => {
  it('are exactly what deactivating a key and writing the session deny declare', () => {
    expect([...GUARD_ACTIONS]).toEqual(['deactivate-access-key', 'revoke-sessions']);
    expect(guardPermissions()).toEqual([
      'iam:AttachRolePolicy',
      'iam:AttachUserPolicy',
      'iam:GetAccessKeyLastUsed',
      'iam:PutRolePolicy',
      'iam:PutUserPolicy',
      'iam:UpdateAccessKey',
    ]);
  });
});
