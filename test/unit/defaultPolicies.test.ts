import { afterEach, describe, expect, it, vi } from 'vitest';
import shipped from '../../src/decide/policies.json';
import { ResponsePolicySet } from '../../src/decide/ResponsePolicy';

describe('The policies a deployment runs with', () => {
  // defaultPolicies is imported inside the test, not at the top: a set that fails to load must fail this test, not
  // only stop the file from loading (which a mutation run counts as no test failing). Its dependencies are imported at
  // the top, so that only defaultPolicies.ts itself loads inside the test (a mutation run credits a module's load-time
  // code to the test that loads it).
  it('are the shipped src/decide/policies.json, parsed when the module loads, when no policy file is bundled', async () => {
    const { defaultPolicies } = await import('../../src/decide/defaultPolicies');

    expect(defaultPolicies).toEqual(ResponsePolicySet.parse(shipped));
    expect(defaultPolicies).toEqual(shipped);
    expect(defaultPolicies.map((policy) => policy.name)).toContain('manual-report');
  });

  afterEach(() => {
    delete (globalThis as { KEYSTOP_BUNDLED_POLICIES?: string }).KEYSTOP_BUNDLED_POLICIES;
    vi.resetModules();
  });

  it("are the operator's policy file when one is bundled at package time (KEYSTOP_BUNDLED_POLICIES), not the shipped set", async () => {
    const operators = [{ ...shipped[0], name: 'operators-only-policy' }];
    (globalThis as { KEYSTOP_BUNDLED_POLICIES?: string }).KEYSTOP_BUNDLED_POLICIES = JSON.stringify(operators);
    vi.resetModules();
    const { defaultPolicies } = await import('../../src/decide/defaultPolicies');

    expect(defaultPolicies.map((policy) => policy.name)).toEqual(['operators-only-policy']);
  });
});
