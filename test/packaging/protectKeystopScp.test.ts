import { beforeAll, describe, expect, it } from 'vitest';
import { tagPrincipal } from '../../src/actions/tagPrincipal';
import { protectKeystopScp, type ScpSettings } from '../../src/aws/protectKeystopScp';
import { DEFAULT_EXEMPT_TAG } from '../../src/decide/Guardrails';
import { type CfnTemplate, ORGANISATION_PARAMS, packageTemplate, resourcesOfType } from '../support/packageTemplate';
import { allowEverything, DEPLOYMENT, deployedTemplate, type Policy, roleArns, simulate } from '../support/simulatePolicy';

/**
 * The SCP `keystop scp` produces for a deployment, and the function roles' own policies, evaluated as IAM evaluates
 * them (iam-simulate): who may set the exemption tag, who may create or change roles at Keystop's path or with the
 * member role's name, and what Keystop's roles may write.
 */
const { account: SECURITY, stage } = DEPLOYMENT;
const MEMBER = '222233334444';
const MEMBER_ROLE = 'KeystopMember';
const SECURITY_ADMIN = `arn:aws:iam::${SECURITY}:role/SecurityAdmin`;
const DEPLOYER = `arn:aws:iam::${SECURITY}:role/keystop-deployer`;
const MEMBER_DEPLOYER = `arn:aws:iam::${MEMBER}:role/AWSCloudFormationStackSetExecutionRole`;
const KEYSTOP_ROLE = `arn:aws:iam::${SECURITY}:role/keystop/${stage}/keystop-${stage}-GuardDutyResponderRole-1A2B3C4D5E6F`;

const settings: ScpSettings = {
  partition: 'aws',
  securityAccount: SECURITY,
  stage,
  memberRoleName: MEMBER_ROLE,
  securityRoles: [SECURITY_ADMIN],
  deployers: [DEPLOYER, MEMBER_DEPLOYER],
};

const exemptTag = { 'aws:TagKeys': [DEFAULT_EXEMPT_TAG.key], [`aws:RequestTag/${DEFAULT_EXEMPT_TAG.key}`]: DEFAULT_EXEMPT_TAG.value };
const incidentTag = { 'aws:TagKeys': ['keystop:incident'], 'aws:RequestTag/keystop:incident': 'gd-1' };

/** What a principal with an identity policy allowing everything may do under the SCP. */
const underScp = (scp: Policy, principal: string, action: string, resource: string, context: Record<string, string | string[]> = {}) =>
  simulate({ principal, action, resource, identityPolicies: [allowEverything], serviceControlPolicies: [scp], context });

describe('The SCP keystop scp produces for a deployment (exact ARNs)', () => {
  const scp = protectKeystopScp(settings);
  const user = (account: string, name = 'payroll-sync') => `arn:aws:iam::${account}:user/${name}`;

  it('names no principal by a wildcard account when the member accounts are given', () => {
    const exact = protectKeystopScp({ ...settings, memberAccounts: [MEMBER] });
    const principals = exact.Statement.flatMap((s: any) => Object.values(s.Condition).flatMap((c: any) => c['aws:PrincipalArn'] ?? []));

    expect(principals.length).toBeGreaterThan(0);
    for (const arn of principals) expect(arn.split(':')[4], arn).toMatch(/^\d{12}$/);
  });

  it.each([
    ['a role the attacker created at /keystop/ in a member account', `arn:aws:iam::${MEMBER}:role/keystop/x/pivot`],
    ["a role at another stage's path in the security account", `arn:aws:iam::${SECURITY}:role/keystop/dev/pivot`],
    ['a role named like the member role in the security account', `arn:aws:iam::${SECURITY}:role/${MEMBER_ROLE}`],
    ['an administrator of a member account', `arn:aws:iam::${MEMBER}:role/Admin`],
  ])('denies %s tagging itself or anyone keystop:exempt', async (_, attacker) => {
    for (const action of ['iam:TagUser', 'iam:TagRole']) {
      const resource = action === 'iam:TagUser' ? user(attacker.split(':')[4]!) : attacker;
      expect(await underScp(scp, attacker, action, resource, exemptTag), action).toBe('ExplicitlyDenied');
    }
    expect(await underScp(scp, attacker, 'iam:CreateUser', user(attacker.split(':')[4]!, 'tmp-runner-1'), exemptTag)).toBe(
      'ExplicitlyDenied',
    );
  });

  it("lets Keystop's own role, the member role in a member account and the security roles set keystop:* tags", async () => {
    expect(tagPrincipal.permissions).toEqual(expect.arrayContaining(['iam:TagUser', 'iam:TagRole']));
    expect(await underScp(scp, KEYSTOP_ROLE, 'iam:TagUser', user(SECURITY), incidentTag)).toBe('Allowed');
    expect(await underScp(scp, `arn:aws:iam::${MEMBER}:role/${MEMBER_ROLE}`, 'iam:TagUser', user(MEMBER), incidentTag)).toBe('Allowed');
    expect(await underScp(scp, SECURITY_ADMIN, 'iam:TagUser', user(SECURITY), exemptTag)).toBe('Allowed');
  });

  it('leaves tags outside keystop: to everyone', async () => {
    const other = { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'payments' };
    expect(await underScp(scp, `arn:aws:iam::${MEMBER}:role/Admin`, 'iam:TagUser', user(MEMBER), other)).toBe('Allowed');
  });

  it.each([
    ['iam:CreateRole', `arn:aws:iam::${MEMBER}:role/keystop/x/pivot`],
    ['iam:CreateRole', `arn:aws:iam::${SECURITY}:role/keystop/${stage}/pivot`],
    ['iam:CreateRole', `arn:aws:iam::${SECURITY}:role/${MEMBER_ROLE}`],
    ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${MEMBER}:role/${MEMBER_ROLE}`],
    ['iam:AttachRolePolicy', KEYSTOP_ROLE],
    ['iam:PutRolePolicy', `arn:aws:iam::${MEMBER}:role/${MEMBER_ROLE}`],
  ])("denies everyone but the deployers %s on %s (Keystop's path, the member role's name)", async (action, role) => {
    const account = role.split(':')[4]!;
    expect(await underScp(scp, `arn:aws:iam::${account}:role/Admin`, action, role)).toBe('ExplicitlyDenied');
    expect(await underScp(scp, account === SECURITY ? DEPLOYER : MEMBER_DEPLOYER, action, role)).toBe('Allowed');
  });

  it('leaves other roles to the accounts that own them', async () => {
    expect(await underScp(scp, `arn:aws:iam::${MEMBER}:role/Admin`, 'iam:CreateRole', `arn:aws:iam::${MEMBER}:role/app/web-tier`)).toBe(
      'Allowed',
    );
  });
});

describe("Keystop's function roles, as packaged: a user's key yes, Keystop's and AWS's roles never", () => {
  let deployed: CfnTemplate;
  beforeAll(async () => {
    const { template } = await packageTemplate(...ORGANISATION_PARAMS);
    deployed = deployedTemplate(template);
  }, 300_000);

  const identityPoliciesOf = (roleId: string): Policy[] => {
    const roleName = roleArns(deployed)[roleId]!.split('/').at(-1)!;
    const managed = resourcesOfType(deployed, 'AWS::IAM::ManagedPolicy')
      .filter(([, p]) => (p.Properties.Roles as string[]).includes(roleName))
      .map(([, p]) => p.Properties.PolicyDocument);
    return [
      ...(deployed.Resources[roleId]!.Properties.Policies ?? []).map((p: { PolicyDocument: Policy }) => p.PolicyDocument),
      ...managed,
    ];
  };
  const containing = () =>
    Object.keys(roleArns(deployed)).filter((id) => identityPoliciesOf(id).some((p) => JSON.stringify(p).includes('iam:UpdateAccessKey')));
  const asRole = (roleId: string, action: string, resource: string) =>
    simulate({ principal: roleArns(deployed)[roleId]!, action, resource, identityPolicies: identityPoliciesOf(roleId) });

  it("may deactivate a user's key, and write to an ordinary role where it may write to roles", async () => {
    expect(containing().length).toBeGreaterThanOrEqual(4);
    for (const roleId of containing()) {
      expect(await asRole(roleId, 'iam:UpdateAccessKey', `arn:aws:iam::${SECURITY}:user/payroll-sync`), roleId).toBe('Allowed');
    }
    expect(await asRole('GuardDutyResponderRole', 'iam:PutRolePolicy', `arn:aws:iam::${SECURITY}:role/web-tier`)).toBe('Allowed');
  });

  it('may attach AWSDenyAll to a user whose inline-policy quota is full, and no other managed policy', async () => {
    const user = `arn:aws:iam::${SECURITY}:user/payroll-sync`;
    const attach = (policyArn: string) =>
      simulate({
        principal: roleArns(deployed).GuardDutyResponderRole!,
        action: 'iam:AttachUserPolicy',
        resource: user,
        identityPolicies: identityPoliciesOf('GuardDutyResponderRole'),
        context: { 'iam:PolicyARN': policyArn },
      });

    expect(await attach('arn:aws:iam::aws:policy/AWSDenyAll')).toBe('Allowed');
    expect(await attach('arn:aws:iam::aws:policy/AdministratorAccess')).not.toBe('Allowed');
  });

  // iam-simulate, like IAM, refuses changes to /aws-reserved/ roles outside Identity Center before any policy applies
  // (ImplicitlyDenied); for every other protected role the function roles' own explicit deny is what refuses.
  it.each([
    ["another of Keystop's roles", () => roleArns(deployed).HealthResponderRole!, 'ExplicitlyDenied'],
    [
      "a role at Keystop's path of another stage",
      () => `arn:aws:iam::${SECURITY}:role/keystop/dev/keystop-dev-GuardDutyResponderRole-X`,
      'ExplicitlyDenied',
    ],
    ['the member role', () => `arn:aws:iam::${SECURITY}:role/${MEMBER_ROLE}`, 'ExplicitlyDenied'],
    [
      'an Identity Center role',
      () => `arn:aws:iam::${SECURITY}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0a1b`,
      'ImplicitlyDenied',
    ],
    [
      'a service-linked role',
      () => `arn:aws:iam::${SECURITY}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
      'ExplicitlyDenied',
    ],
  ])('may not touch %s', async (_, role, refusal) => {
    for (const roleId of containing()) {
      for (const action of ['iam:PutRolePolicy', 'iam:TagRole']) {
        expect(await asRole(roleId, action, role()), `${roleId} ${action}`).not.toBe('Allowed');
      }
    }
    expect(await asRole('GuardDutyResponderRole', 'iam:PutRolePolicy', role())).toBe(refusal);
  });
});
