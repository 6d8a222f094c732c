import { describe, expect, it } from 'vitest';
import { InvalidPolicySetError, parsePolicySet } from '../../src/decide/parsePolicySet';

const policy = { name: 'contain-tor', description: 'Tor use', match: { source: ['guardduty'] }, mode: 'contain', actions: [] };

/** The problems a policy set has, as a reviewer reads them. */
function problemsOf(data: unknown): string[] {
  try {
    parsePolicySet(data, 'policies.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPolicySetError);
    return (error as InvalidPolicySetError).problems;
  }
  throw new Error('the policy set was accepted');
}

describe('Validating a policy set: what is wrong, where a reviewer looks for it', () => {
  it('returns a valid set as parsed policies', () => {
    expect(parsePolicySet([policy], 'policies.json')).toEqual([policy]);
  });

  it('names the file, and lists one problem per line', () => {
    const data = [{ ...policy, mode: 'act', description: '' }];

    expect(() => parsePolicySet(data, 'my-policies.json')).toThrow(
      [
        'my-policies.json is not a valid policy set:',
        '  policy "contain-tor": description "": Too small: expected string to have >=1 characters',
        '  policy "contain-tor": mode "act": Invalid option: expected one of "contain"|"notify-only"|"dry-run"',
      ].join('\n'),
    );
    try {
      parsePolicySet(data, 'my-policies.json');
    } catch (error) {
      expect((error as InvalidPolicySetError).name).toBe('InvalidPolicySetError');
      expect((error as InvalidPolicySetError).origin).toBe('my-policies.json');
    }
  });

  it('says so when the file is not a list of policies', () => {
    expect(problemsOf({})).toEqual(['(file): Invalid input: expected array, received object']);
  });

  it('names a policy by its index when it has no name, or an empty one, and says when the policy itself is wrong', () => {
    expect(problemsOf([42])).toEqual(['policy [0]: (the policy): Invalid input: expected object, received number']);
    expect(problemsOf([policy, { ...policy, name: '' }])).toEqual(['policy [1]: name "": policy names are kebab-case']);
    expect(problemsOf([{ ...policy, name: 7 }])).toEqual(['policy [0]: name 7: Invalid input: expected string, received number']);
    expect(problemsOf([null])).toEqual(['policy [0]: (the policy): Invalid input: expected object, received null']);
  });

  it('shows no value for a field that is missing', () => {
    const { description: _, ...withoutDescription } = policy;

    expect(problemsOf([withoutDescription])).toEqual([
      'policy "contain-tor": description: Invalid input: expected string, received undefined',
    ]);
  });

  it('lists the valid values when a value fits none of a list', () => {
    expect(problemsOf([{ ...policy, match: { source: [{ prefix: 'g' }, 'guarduty'] } }])).toEqual([
      'policy "contain-tor": match.source[1] "guarduty": is not one of guardduty, security-hub, health, cloudtrail, manual, approved',
    ]);
    expect(problemsOf([{ ...policy, match: { credentialKind: ['key'] } }])).toEqual([
      'policy "contain-tor": match.credentialKind[0] "key": is not one of long-term-key, user-session, role-session, federated-session, iam-user, root, unmapped',
    ]);
  });

  it("keeps the union's own message where no form is a list of values, and shows no value that is an object", () => {
    expect(problemsOf([{ ...policy, match: { type: [true] } }])).toEqual(['policy "contain-tor": match.type[0] true: Invalid input']);
    expect(problemsOf([{ ...policy, match: { type: [{ sufix: 'x' }] } }])).toEqual(['policy "contain-tor": match.type[0]: Invalid input']);
    expect(problemsOf([{ ...policy, match: { type: [] } }])).toEqual([
      'policy "contain-tor": match.type: Too small: expected array to have >=1 items',
    ]);
  });

  it('names a duplicate by its name', () => {
    expect(problemsOf([policy, policy])).toEqual(['policy "contain-tor": name "contain-tor": duplicate policy name "contain-tor"']);
  });
});
