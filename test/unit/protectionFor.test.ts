import { describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { type Guardrails, noGuardrails } from '../../src/decide/Guardrails';
import { planResponse } from '../../src/decide/planResponse';
import type { Credential, CredentialIncident } from '../../src/domain/CredentialIncident';
import { runbookFor } from '../../src/report/document/runbookFor';
import { incidentAbout } from '../support/incidents';

/** An exfiltrated instance credential (high severity): the default policies contain it. */
const incident = (credential: Credential, overrides: Partial<CredentialIncident> = {}) =>
  incidentAbout(credential, {
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    severity: 8,
    severityLabel: 'HIGH',
    region: 'us-east-1',
    ...overrides,
  });

const session = (roleName: string): Credential => ({ kind: 'role-session', accessKeyId: 'ASIAPROTECTTEST00001', roleName });

/** Keystop's security account: the incidents' default account (test/support/incidents.ts). */
const SECURITY_ACCOUNT = '111122223333';
const MEMBER_ACCOUNT = '444455556666';

const keystop: Guardrails = {
  ...noGuardrails,
  accounts: { own: SECURITY_ACCOUNT, members: [MEMBER_ACCOUNT] },
  ownRoles: { functionRoleNames: ['keystop-prod-guardduty', 'keystop-prod-health'], memberRoleName: 'KeystopMember' },
};

describe('Planner guardrail: principals Keystop never changes', () => {
  it('refuses to contain a session of one of its own function roles, by name, before any IAM call', () => {
    const plan = planResponse(defaultPolicies, incident(session('keystop-prod-guardduty')), keystop);

    expect(plan).toMatchObject({ reason: 'keystop-own-principal', execute: false });
    expect(plan.explanation).toContain("Keystop's own function roles");
  });

  it('refuses its member role in a member account, even in dry-run and whatever the exemptions say', () => {
    const plan = planResponse(defaultPolicies, incident(session('KeystopMember'), { accountId: MEMBER_ACCOUNT }), {
      ...keystop,
      dryRun: true,
    });

    expect(plan).toMatchObject({ reason: 'keystop-own-principal', execute: false });
    expect(plan.explanation).toContain('member role');
  });

  it('trusts no path: a role anyone could create at /keystop/ is contained like any other', () => {
    const created = incident(session('pivot'), { principalPath: '/keystop/anything/' });

    expect(planResponse(defaultPolicies, created, keystop)).toMatchObject({ reason: 'matched', execute: true });
  });

  it("trusts its function roles' names only in its own account, the member role's only in other accounts", () => {
    const functionNameElsewhere = incident(session('keystop-prod-guardduty'), {
      accountId: MEMBER_ACCOUNT,
      principalPath: '/keystop/prod/',
    });
    const memberNameAtHome = incident(session('KeystopMember'), { accountId: SECURITY_ACCOUNT });

    expect(planResponse(defaultPolicies, functionNameElsewhere, keystop).reason).toBe('matched');
    expect(planResponse(defaultPolicies, memberNameAtHome, keystop).reason).toBe('matched');
  });

  it('recognises no role as its own where its account is not known', () => {
    const unscoped = { ...keystop, accounts: undefined };

    expect(planResponse(defaultPolicies, incident(session('keystop-prod-guardduty')), unscoped).reason).toBe('matched');
    expect(planResponse(defaultPolicies, incident(session('KeystopMember'), { accountId: MEMBER_ACCOUNT }), unscoped).reason).toBe(
      'matched',
    );
  });

  it('refuses AWS-managed roles: Identity Center roles and service-linked roles, by name or by path', () => {
    const sso = planResponse(defaultPolicies, incident(session('AWSReservedSSO_Admin_0123456789abcdef')), noGuardrails);
    const linked = planResponse(defaultPolicies, incident(session('AWSServiceRoleForSupport')), noGuardrails);
    const byPath = planResponse(
      defaultPolicies,
      incident(session('renamed'), { principalPath: '/aws-reserved/sso.amazonaws.com/eu-west-1/' }),
      noGuardrails,
    );

    for (const plan of [sso, linked, byPath]) expect(plan).toMatchObject({ reason: 'aws-managed-principal', execute: false });
    expect(sso.explanation).toContain('Identity Center');
    expect(linked.explanation).toContain('service-linked');
  });

  it("does not take a role for AWS's by its name once its path says otherwise", () => {
    const lookalike = incident(session('AWSReservedSSO_Admin_0123456789abcdef'), { principalPath: '/' });

    expect(planResponse(defaultPolicies, lookalike, noGuardrails).reason).toBe('matched');
  });

  it("contains an ordinary role and a user named like a Keystop role (only roles are Keystop's)", () => {
    expect(planResponse(defaultPolicies, incident(session('app-server')), keystop).reason).toBe('matched');
    const user = incident(
      { kind: 'long-term-key', accessKeyId: 'AKIAPROTECTTEST00001', userName: 'KeystopMember' },
      {
        type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
      },
    );
    expect(planResponse(defaultPolicies, user, keystop).reason).toBe('matched');
  });

  it('still says "sample-finding" for a sample about a Keystop role: samples never contain anyway', () => {
    expect(planResponse(defaultPolicies, incident(session('KeystopMember'), { sample: true }), keystop).reason).toBe('sample-finding');
  });
});

describe('Planner guardrail: accounts named only inside the report', () => {
  const actor = incident(
    { kind: 'long-term-key', accessKeyId: 'AKIAPROTECTTEST00002', userName: 'dev' },
    { type: 'AttackSequence:IAM/CompromisedCredentials', accountId: '999999999999', accountNamedOnlyInContent: true },
  );

  it('does not act in an account an attack sequence names for an actor when member accounts are "*"', () => {
    const plan = planResponse(defaultPolicies, actor, { ...noGuardrails, accounts: { own: '123456789012', members: ['*'] } });

    expect(plan).toMatchObject({ reason: 'account-not-allowed', execute: false });
    expect(plan.explanation).toContain('named only inside the report');
  });

  it('acts there when that account is listed by id', () => {
    const plan = planResponse(defaultPolicies, actor, { ...noGuardrails, accounts: { own: '123456789012', members: ['999999999999'] } });

    expect(plan).toMatchObject({ reason: 'matched', execute: true });
  });

  it('acts under "*" in the account the finding itself reports for', () => {
    const reported = { ...actor, accountNamedOnlyInContent: undefined };
    const plan = planResponse(defaultPolicies, reported, { ...noGuardrails, accounts: { own: '123456789012', members: ['*'] } });

    expect(plan.reason).toBe('matched');
  });
});

describe('Runbook for principals Keystop never changes', () => {
  const respond = (roleName: string, reason: string) => {
    const about = incident(session(roleName));
    const plan = planResponse(defaultPolicies, about, keystop);
    expect(plan.reason).toBe(reason);
    return runbookFor({
      outcome: 'notified',
      reason: plan.reason,
      explanation: plan.explanation,
      incident: about,
      policy: plan.policy,
      actions: [],
    });
  };

  it("tells responders to treat Keystop as compromised, and what revoking its own role's sessions costs", () => {
    const steps = respond('keystop-prod-guardduty', 'keystop-own-principal');

    expect(steps[0]).toContain('Treat Keystop itself as compromised');
    expect(steps.join(' ')).toContain('Keystop stops responding until its functions get new credentials');
    expect(steps.join(' ')).toContain("rotate the member role's ExternalId");
  });

  it('sends responders to Identity Center for an SSO role, never to the role itself', () => {
    const steps = respond('AWSReservedSSO_Admin_0123456789abcdef', 'aws-managed-principal');

    expect(steps[0]).toContain('remove their permission set assignment in Identity Center');
    expect(steps.join(' ')).not.toContain('Revoke active sessions');
  });
});
