import { describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { matchesPattern } from '../../src/decide/matchesPolicy';
import { ResponsePolicySet } from '../../src/decide/ResponsePolicy';

const policy = (overrides: Record<string, unknown> = {}) => ({
  name: 'contain-tor',
  description: 'Tor use',
  match: { source: ['guardduty'] },
  mode: 'contain',
  actions: [{ type: 'deactivate-access-key' }],
  ...overrides,
});

describe('Response policies', () => {
  it('ships a default set that validates', () => {
    expect(ResponsePolicySet.safeParse(defaultPolicies).success).toBe(true);
  });

  it('rejects an unknown action type and lists the valid ones', () => {
    const result = ResponsePolicySet.safeParse([policy({ actions: [{ type: 'deactivate-acess-key' }] })]);

    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe(
      'unknown action type "deactivate-acess-key"; valid types: deactivate-access-key, revoke-sessions, tag-principal, deactivate-user-keys',
    );
  });

  it('rejects unknown keys, in a policy and in its match', () => {
    const result = ResponsePolicySet.safeParse([policy({ mode: 'contain', modes: 'x', match: { sauce: ['guardduty'] } })]);

    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '0: unknown key "modes"; valid keys: name, description, match, mode, actions, bypassBreaker',
        '0.match: unknown key "sauce"; valid keys: source, type, severity, credentialKind, accountId, principalName',
      ]),
    );
  });

  it('rejects duplicate policy names', () => {
    const result = ResponsePolicySet.safeParse([policy(), policy()]);

    expect(result.error!.issues[0]).toMatchObject({ path: [1, 'name'], message: 'duplicate policy name "contain-tor"' });
  });
});

describe('Matching in EventBridge vocabulary', () => {
  it.each([
    ['exact string', 'guardduty', 'guardduty', true],
    ['exact string, other value', 'guardduty', 'health', false],
    ['prefix', { prefix: 'Recon:IAMUser/' }, 'Recon:IAMUser/TorIPCaller', true],
    ['prefix, other family', { prefix: 'Recon:IAMUser/' }, 'Stealth:IAMUser/PasswordPolicyChange', false],
    ['anything-but a value', { 'anything-but': 'root' }, 'long-term-key', true],
    ['anything-but that value', { 'anything-but': 'root' }, 'root', false],
    ['anything-but a list', { 'anything-but': ['a', 'b'] }, 'b', false],
    ['anything-but a prefix', { 'anything-but': { prefix: 'svc-' } }, 'svc-ci', false],
    ['numeric range inside', { numeric: ['>=', 7, '<', 9] }, 8, true],
    ['numeric range outside', { numeric: ['>=', 7, '<', 9] }, 9, false],
    ['numeric on a string', { numeric: ['>', 0] }, '5', false],
  ] as const)('%s', (_name, pattern, value, expected) => {
    expect(matchesPattern(pattern as never, value)).toBe(expected);
  });
});
