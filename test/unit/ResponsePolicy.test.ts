import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../src/decide/matchesPolicy';
import shipped from '../../src/decide/policies.json';
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
  // The shipped file, not defaultPolicies: a schema that refused it would stop this file from loading at all, which a
  // mutation run counts as no test failing (test/unit/defaultPolicies.test.ts imports the module inside its test).
  it('ships a default set that validates', () => {
    expect(ResponsePolicySet.safeParse(shipped).success).toBe(true);
  });

  it('rejects an unknown action type and lists the valid ones', () => {
    const result = ResponsePolicySet.safeParse([policy({ actions: [{ type: 'deactivate-acess-key' }] })]);

    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe(
      'unknown action type "deactivate-acess-key"; valid types: deactivate-access-key, revoke-sessions, tag-principal, deactivate-user-keys',
    );
  });

  it('rejects an action that is not an object (null in a hand-written file) with the same list', () => {
    const result = ResponsePolicySet.safeParse([policy({ actions: [null] })]);

    expect(result.error!.issues[0]!.message).toBe(
      'unknown action type undefined; valid types: deactivate-access-key, revoke-sessions, tag-principal, deactivate-user-keys',
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

describe('Response policies: what a policy may say', () => {
  const accepts = (overrides: Record<string, unknown>) => ResponsePolicySet.safeParse([policy(overrides)]).success;
  const withMatch = (match: Record<string, unknown>) => accepts({ match });

  it.each([
    ['every mode', ['contain', 'notify-only', 'dry-run'].every((mode) => accepts({ mode })), true],
    ['another mode', accepts({ mode: 'act' }), false],
    ['a kebab-case name with digits', accepts({ name: 'contain-2' }), true],
    ['a name that starts with a dash', accepts({ name: '-contain' }), false],
    ['a name with a capital', accepts({ name: 'Contain' }), false],
    ['a name with a trailing space', accepts({ name: 'contain ' }), false],
    ['an empty description', accepts({ description: '' }), false],
    ['bypassBreaker', accepts({ bypassBreaker: true }), true],
    ['bypassBreaker as text', accepts({ bypassBreaker: 'yes' }), false],
    ['no actions', accepts({ actions: [] }), true],
    ['an action with an option it does not take', accepts({ actions: [{ type: 'tag-principal', value: 'x' }] }), false],
    [
      'every action type',
      accepts({ actions: ['deactivate-access-key', 'revoke-sessions', 'tag-principal', 'deactivate-user-keys'].map((type) => ({ type })) }),
      true,
    ],
  ])('%s: accepted %s', (_, accepted, expected) => {
    expect(accepted).toBe(expected);
  });

  it.each([
    ['an empty match', {}, true],
    ['every source', { source: ['guardduty', 'security-hub', 'health', 'cloudtrail', 'manual', 'approved'] }, true],
    ['a source prefix and anything-but', { source: [{ prefix: 'guard' }, { 'anything-but': 'health' }] }, true],
    ['an unknown source', { source: ['guarduty'] }, false],
    ['a numeric source', { source: [{ numeric: ['>', 1] }] }, false],
    ['an empty source list', { source: [] }, false],
    [
      'every credential kind',
      { credentialKind: ['long-term-key', 'user-session', 'role-session', 'federated-session', 'iam-user', 'root', 'unmapped'] },
      true,
    ],
    ['anything-but a credential kind', { credentialKind: [{ 'anything-but': 'root' }] }, true],
    ['an unknown credential kind', { credentialKind: ['key'] }, false],
    ['a credential kind prefix', { credentialKind: [{ prefix: 'long' }] }, false],
    ['an empty credential kind list', { credentialKind: [] }, false],
    ['types by value and prefix', { type: ['Recon:IAMUser/TorIPCaller', { prefix: 'Recon:' }] }, true],
    ['an empty type list', { type: [] }, false],
    ['an empty prefix', { type: [{ prefix: '' }] }, false],
    ['a prefix with another key', { type: [{ prefix: 'R', suffix: 'x' }] }, false],
    ['severities by number and range', { severity: [8, { numeric: ['>=', 7, '<', 9] }] }, true],
    ['a numeric pattern with one operator and value', { severity: [{ numeric: ['>', 7] }] }, true],
    ['a numeric pattern with only an operator', { severity: [{ numeric: ['>'] }] }, false],
    ['a numeric pattern with an odd count', { severity: [{ numeric: ['>', 7, '<'] }] }, false],
    ['a numeric pattern with an unknown operator', { severity: [{ numeric: ['!=', 7] }] }, false],
    ['every numeric operator', { severity: [{ numeric: ['<', 9, '<=', 9, '=', 8, '>', 1, '>=', 1] }] }, true],
    ['an empty severity list', { severity: [] }, false],
    [
      'anything-but a value, a number, a list, a prefix',
      { accountId: [{ 'anything-but': 'a' }, { 'anything-but': 1 }, { 'anything-but': ['a', 2] }, { 'anything-but': { prefix: 'x' } }] },
      true,
    ],
    ['anything-but an empty list', { accountId: [{ 'anything-but': [] }] }, false],
    ['anything-but with another key', { accountId: [{ 'anything-but': 'a', prefix: 'b' }] }, false],
    ['an empty account list', { accountId: [] }, false],
    ['principal names', { principalName: ['build-bot', { prefix: 'svc-' }] }, true],
    ['an empty principal name list', { principalName: [] }, false],
  ])('a match with %s: accepted %s', (_, match, expected) => {
    expect(withMatch(match)).toBe(expected);
  });

  it('explains a numeric pattern without pairs', () => {
    const result = ResponsePolicySet.safeParse([policy({ match: { severity: [{ numeric: ['>', 7, '<'] }] } })]);

    expect(result.error!.issues.map((issue) => issue.message)).toContain('numeric takes operator/value pairs, e.g. [">=", 7]');
  });

  it('reports every duplicate, each at its own index', () => {
    const result = ResponsePolicySet.safeParse([policy(), policy({ name: 'other' }), policy(), policy({ name: 'other' })]);

    expect(result.error!.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [[2, 'name'], 'duplicate policy name "contain-tor"'],
      [[3, 'name'], 'duplicate policy name "other"'],
    ]);
  });
});
