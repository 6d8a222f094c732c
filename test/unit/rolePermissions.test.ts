import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingPermissions } from '../../src/aws/rolePermissions';
import { readService } from '../../src/cli/settings/readServiceParams';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import type { ResponsePolicy } from '../../src/decide/ResponsePolicy';

const service = () => readService(join(import.meta.dirname, '..', '..', 'serverless.yml'));

describe("Package-time check: the roles grant what an operator's policies need", () => {
  it('finds nothing missing for the shipped policies', async () => {
    expect(missingPermissions(defaultPolicies, await service())).toEqual([]);
  });

  it('names the function, its role and the actions a policy file adds for a source', async () => {
    const tagHealth: ResponsePolicy = {
      name: 'health-tag-too',
      description: 'Tag the owner of an exposed key.',
      match: { source: ['health'] },
      mode: 'contain',
      actions: [{ type: 'deactivate-access-key' }, { type: 'tag-principal' }],
    };

    expect(missingPermissions([tagHealth, ...defaultPolicies], await service())).toEqual([
      "param policiesFile: the policies act on health incidents with iam:TagRole, iam:TagUser, which the health function's role (HealthResponderRole) does not grant: add them to the role in serverless.yml, or change the policies",
    ]);
  });
});
