import { describe, expect, it } from 'vitest';
import shipped from '../../src/decide/policies.json';

describe('The policies a deployment runs with', () => {
  // Imported inside the test, not at the top: a set that fails to load must fail this test, not only stop the file
  // from loading (which a mutation run counts as no test failing).
  it('are the shipped src/decide/policies.json, parsed when the module loads, when no policy file is bundled', async () => {
    const { defaultPolicies } = await import('../../src/decide/defaultPolicies');

    expect(defaultPolicies).toEqual(shipped);
    expect(defaultPolicies.map((policy) => policy.name)).toContain('manual-report');
  });
});
