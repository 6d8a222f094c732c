import { describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { noGuardrails } from '../../src/decide/Guardrails';
import { holdForBreaker, planResponse } from '../../src/decide/planResponse';
import type { ResponsePolicy } from '../../src/decide/ResponsePolicy';
import type { CredentialIncident } from '../../src/domain/CredentialIncident';
import { credentials, incidentAbout } from '../support/incidents';

const incident = (overrides: Partial<CredentialIncident> = {}) =>
  incidentAbout(
    { kind: 'long-term-key', accessKeyId: 'AKIAPLANNERTEST00001', userName: 'build-bot' },
    { region: 'us-east-1', ...overrides },
  );

describe('Planner', () => {
  it('contains a key GuardDuty saw used from Tor, under the policy that matched', () => {
    expect(planResponse(defaultPolicies, incident(), noGuardrails)).toMatchObject({
      policy: 'guardduty-key-used-by-attacker',
      reason: 'matched',
      execute: true,
      steps: [{ type: 'deactivate-access-key' }, { type: 'tag-principal' }],
      inapplicable: [{ type: 'revoke-sessions' }],
    });
  });

  it('plans an unmapped compromise signal as an alert with reason unmapped-signal, quoting what the report names', () => {
    const unmapped = incident({
      source: 'health',
      type: 'AWS_RISK_CREDENTIALS_EXPOSED',
      credential: { kind: 'unmapped', entities: ['ACCESS_KEY_ID_HERE'] },
    });

    const plan = planResponse(defaultPolicies, unmapped, noGuardrails);

    expect(plan).toMatchObject({ policy: undefined, reason: 'unmapped-signal', execute: false, steps: [], inapplicable: [] });
    expect(plan.explanation).toContain('"ACCESS_KEY_ID_HERE"');
  });

  it('never executes on a sample finding, whatever the policy says', () => {
    expect(planResponse(defaultPolicies, incident({ sample: true }), noGuardrails)).toMatchObject({
      reason: 'sample-finding',
      execute: false,
    });
  });

  it('holds back exempt principals, by name pattern and by ARN pattern, and says which exemption matched', () => {
    const byName = planResponse(defaultPolicies, incident(), { ...noGuardrails, exemptPrincipals: ['build-*'] });
    const byArn = planResponse(defaultPolicies, incident(), {
      ...noGuardrails,
      exemptPrincipals: ['arn:aws:iam::111122223333:user/build-bot'],
    });
    const other = planResponse(defaultPolicies, incident(), { ...noGuardrails, exemptPrincipals: ['deploy-*'] });

    expect(byName).toMatchObject({ reason: 'exempt-principal', execute: false });
    expect(byName.explanation).toContain('"build-*"');
    expect(byArn).toMatchObject({ reason: 'exempt-principal', execute: false });
    expect(other).toMatchObject({ reason: 'matched', execute: true });
  });

  it('holds back a principal tagged with the exemption tag and its configured value, and not one tagged with another value', () => {
    const guardrails = { ...noGuardrails, exemptTag: { key: 'keystop:exempt', value: 'true' } };

    const exempt = planResponse(defaultPolicies, incident(), guardrails, { 'keystop:exempt': 'true' });
    const otherValue = planResponse(defaultPolicies, incident(), guardrails, { 'keystop:exempt': 'false' });
    const otherKey = planResponse(defaultPolicies, incident(), guardrails, { team: 'true' });

    expect(exempt).toMatchObject({ reason: 'exempt-principal', execute: false });
    expect(exempt.explanation).toContain('tag keystop:exempt=true');
    expect(otherValue).toMatchObject({ reason: 'matched', execute: true });
    expect(otherKey).toMatchObject({ reason: 'matched', execute: true });
  });

  it('only reports under a policy in dry-run mode, and names the policy, while Keystop itself acts', () => {
    const rehearsal = defaultPolicies.map((policy) =>
      policy.name === 'guardduty-key-used-by-attacker' ? { ...policy, mode: 'dry-run' as const } : policy,
    );

    const plan = planResponse(rehearsal, incident(), noGuardrails);

    expect(plan).toMatchObject({
      policy: 'guardduty-key-used-by-attacker',
      reason: 'dry-run',
      execute: false,
      steps: [{ type: 'deactivate-access-key' }, { type: 'tag-principal' }],
    });
    expect(plan.explanation).toContain('policy "guardduty-key-used-by-attacker" is in dry-run mode');
  });

  it('only reports in dry-run', () => {
    expect(planResponse(defaultPolicies, incident(), { ...noGuardrails, dryRun: true })).toMatchObject({
      reason: 'dry-run',
      execute: false,
      steps: [{ type: 'deactivate-access-key' }, { type: 'tag-principal' }],
    });
  });

  it('contains anomalous behaviour at HIGH severity and only alerts below it', () => {
    const high = planResponse(defaultPolicies, incident({ type: 'Exfiltration:IAMUser/AnomalousBehavior', severity: 8 }), noGuardrails);
    const medium = planResponse(defaultPolicies, incident({ type: 'Exfiltration:IAMUser/AnomalousBehavior', severity: 5 }), noGuardrails);

    expect(high).toMatchObject({ policy: 'guardduty-anomalous-behavior-high', execute: true });
    expect(medium).toMatchObject({ policy: 'guardduty-other-iam-findings', reason: 'notify-only-policy', execute: false });
  });

  it('alerts without acting when no policy matches', () => {
    expect(planResponse([], incident(), noGuardrails)).toMatchObject({
      policy: undefined,
      reason: 'no-matching-policy',
      execute: false,
      steps: [],
    });
  });

  describe('account guardrail', () => {
    const scope = (members: string[]) => ({ ...noGuardrails, accounts: { own: '999900001111', members } });

    it('acts in its own account and in allowed member accounts', () => {
      expect(planResponse(defaultPolicies, incident({ accountId: '999900001111' }), scope([]))).toMatchObject({ reason: 'matched' });
      expect(planResponse(defaultPolicies, incident(), scope(['111122223333']))).toMatchObject({ reason: 'matched', execute: true });
      expect(planResponse(defaultPolicies, incident(), scope(['*']))).toMatchObject({ reason: 'matched', execute: true });
    });

    it('only alerts on an account outside the allow-list, and says which account and why', () => {
      const refused = planResponse(defaultPolicies, incident(), scope(['444455556666']));
      const single = planResponse(defaultPolicies, incident(), scope([]));

      expect(refused).toMatchObject({ reason: 'account-not-allowed', execute: false });
      expect(refused.explanation).toContain('account 111122223333 is not one Keystop may act in');
      expect(refused.explanation).toContain('member accounts: 444455556666');
      expect(single).toMatchObject({ reason: 'account-not-allowed', execute: false });
      expect(single.explanation).toContain('no member accounts are configured');
    });

    it('refuses the account before dry-run, so a dry run does not claim it would have acted', () => {
      expect(planResponse(defaultPolicies, incident(), { ...scope([]), dryRun: true })).toMatchObject({ reason: 'account-not-allowed' });
    });
  });
});

describe('Planner: what each held plan says and carries', () => {
  const keyOnly: ResponsePolicy = {
    name: 'keys-only',
    description: 'deactivates keys',
    match: {},
    mode: 'contain',
    actions: [{ type: 'deactivate-access-key' }],
  };

  it('alerts without steps when no policy matches, and never bypasses the breaker', () => {
    expect(planResponse([], incident(), noGuardrails)).toEqual({
      policy: undefined,
      reason: 'no-matching-policy',
      explanation: 'no response policy matches this incident; responders are alerted, nothing is changed',
      execute: false,
      steps: [],
      inapplicable: [],
      bypassBreaker: false,
    });
  });

  it('holds a policy none of whose actions applies to the credential, and says who must act', () => {
    const plan = planResponse([keyOnly], incident({ credential: credentials['role-session'] }), noGuardrails);

    expect(plan).toMatchObject({
      reason: 'no-applicable-action',
      execute: false,
      steps: [],
      inapplicable: [{ type: 'deactivate-access-key' }],
    });
    expect(plan.explanation).toBe('policy "keys-only" has no action that can contain a role-session: responders must act (see NEXT STEPS)');
  });

  it("carries the policy's breaker bypass into every plan, held or not", () => {
    const proof = { ...keyOnly, bypassBreaker: true };

    expect(planResponse([proof], incident(), noGuardrails)).toMatchObject({ execute: true, bypassBreaker: true });
    expect(planResponse([proof], incident({ sample: true }), noGuardrails)).toMatchObject({ execute: false, bypassBreaker: true });
    expect(planResponse([keyOnly], incident(), noGuardrails)).toMatchObject({ execute: true, bypassBreaker: false });
  });

  it('explains a notify-only policy, a sample and a Keystop-wide dry run in words', () => {
    const notify = planResponse([{ ...keyOnly, mode: 'notify-only' }], incident(), noGuardrails);
    const sample = planResponse([keyOnly], incident({ sample: true }), noGuardrails);
    const dry = planResponse([keyOnly], incident(), { ...noGuardrails, dryRun: true });

    expect(notify.explanation).toBe('policy "keys-only" only alerts: deactivates keys');
    expect(sample.explanation).toBe('this is a generated sample finding: Keystop never contains on samples');
    expect(dry.explanation).toBe('Keystop runs in dry-run mode: nothing was changed; the actions below are what would have been done');
  });

  it("names the account's allow-list, and an account named only inside the report", () => {
    const scope = { ...noGuardrails, accounts: { own: '999900001111', members: ['444455556666', '777788889999'] } };

    const plan = planResponse([keyOnly], incident({ accountNamedOnlyInContent: true }), scope);

    expect(plan.explanation).toBe(
      'account 111122223333 is not one Keystop may act in (it runs in 999900001111; member accounts: 444455556666, 777788889999, ' +
        'and it is named only inside the report, not as its account): responders must act there',
    );
  });

  it('says nothing of the report when the account is its own, and plans without tags when they were not read', () => {
    const scope = { ...noGuardrails, accounts: { own: '999900001111', members: [] } };
    const tagged = { ...noGuardrails, exemptTag: { key: 'keystop:exempt', value: 'true' } };

    expect(planResponse([keyOnly], incident(), scope).explanation).toBe(
      'account 111122223333 is not one Keystop may act in (it runs in 999900001111; no member accounts are configured): responders must act there',
    );
    expect(planResponse([keyOnly], incident(), tagged)).toMatchObject({ reason: 'matched', execute: true });
  });

  it('quotes at most five of the names an unmapped signal carries, and says when it names nothing', () => {
    const unmapped = (entities: string[], sample = false) =>
      planResponse(defaultPolicies, incident({ sample, credential: { kind: 'unmapped', entities } }), noGuardrails);

    expect(unmapped(['a', 'b', 'c', 'd', 'e', 'f']).explanation).toContain('("a", "b", "c", "d", "e")');
    expect(unmapped([]).explanation).toContain('(nothing)');
    expect(unmapped(['a'], true)).toMatchObject({
      reason: 'sample-finding',
      explanation: 'this is a generated sample finding: Keystop never contains on samples',
      bypassBreaker: false,
    });
  });
});

describe('Planner: the breaker holds a plan', () => {
  it('keeps the steps, stops executing, and says how many containments opened it and how to close it', () => {
    const plan = planResponse(defaultPolicies, incident(), noGuardrails);

    const held = holdForBreaker(plan, { limit: 'account', count: 7 });

    expect(held).toEqual({
      ...plan,
      reason: 'breaker-open',
      execute: false,
      explanation:
        'the blast-radius breaker is open: 7 automatic containments in this account within the window, so Keystop only alerts ' +
        'until an operator checks and runs `keystop breaker reset` (or the window passes)',
    });
  });
});
