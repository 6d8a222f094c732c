import { describe, expect, it } from 'vitest';
import { checkParams, normalizedListParams } from '../../src/aws/checkParams';
import { scpProblems } from '../../src/aws/protectKeystopScp';

/** Names and patterns can be created by whoever holds rights in an account: settings that grant trust take exact ARNs. */
describe('Settings that name trusted principals take exact identities', () => {
  it('accepts operator roles given as exact role ARNs, written with blanks', () => {
    const operatorRoles =
      'arn:aws:iam::111122223333:role/SecurityOperator, arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0a1b';

    expect(checkParams({ operatorRoles })).toEqual([]);
    expect(normalizedListParams({ operatorRoles }).operatorRoles).toBe(operatorRoles.replace(', ', ','));
  });

  it.each([
    ['a bare name', 'SecurityOperator'],
    ['a wildcard account', 'arn:aws:iam::*:role/SecurityOperator'],
    ['a wildcard name', 'arn:aws:iam::111122223333:role/Security*'],
    ['a user', 'arn:aws:iam::111122223333:user/alice'],
  ])('refuses an operator role given as %s', (_, operatorRoles) => {
    expect(checkParams({ operatorRoles })).toEqual([
      `param operatorRoles: ${JSON.stringify(operatorRoles)} each must be the exact ARN of a role (arn:aws:iam::<12-digit account>:role/<path/name>), no wildcard`,
    ]);
  });
});

describe('Responders and exemptions are ARN patterns in a named account', () => {
  it.each(['responders', 'exemptPrincipals'])('accepts %s as user, role and assumed-role ARN patterns of named accounts', (param) => {
    const value =
      'arn:aws:iam::111122223333:role/SecurityResponders, arn:aws-us-gov:iam::111122223333:user/build-*, arn:aws:sts::111122223333:assumed-role/deployer/*';

    expect(checkParams({ [param]: value })).toEqual([]);
  });

  it.each([
    ['responders', 'incident-lead'],
    ['responders', 'arn:aws:iam::*:role/SecurityResponders'],
    ['exemptPrincipals', 'break-glass-admin'],
    ['exemptPrincipals', 'arn:aws:iam::*:role/incident-response-*'],
    ['exemptPrincipals', 'arn:aws:sts::*:assumed-role/deployer/*'],
  ])('refuses %s given as %s: anyone can create a principal it matches', (param, value) => {
    const [problem, ...more] = checkParams({ [param]: value });

    expect(more).toEqual([]);
    expect(problem).toContain(`param ${param}: ${JSON.stringify(value)} each must be a user or role ARN (pattern) in a named account`);
  });
});

describe('keystop scp refuses to trust what anyone can create', () => {
  const settings = {
    partition: 'aws',
    securityAccount: '111122223333',
    stage: 'prod',
    memberRoleName: 'KeystopMember',
    securityRoles: ['arn:aws:iam::111122223333:role/SecurityAdmin'],
    deployers: ['arn:aws:iam::111122223333:role/keystop-deployer'],
  };

  it('accepts exact role ARNs in named accounts', () => {
    expect(scpProblems(settings)).toEqual([]);
  });

  it('refuses wildcard accounts and names, a missing deployer and a bad account', () => {
    expect(
      scpProblems({
        ...settings,
        securityAccount: '*',
        securityRoles: ['arn:aws:iam::*:role/SecurityAdmin', 'SecurityAdmin'],
        deployers: [],
      }),
    ).toEqual([
      '--security-account must be a 12-digit account id',
      '--deployers: name at least one role that deploys Keystop',
      '--security-roles: arn:aws:iam::*:role/SecurityAdmin is not the exact ARN of a role in a named account (no wildcard)',
      '--security-roles: SecurityAdmin is not the exact ARN of a role in a named account (no wildcard)',
    ]);
  });
});
