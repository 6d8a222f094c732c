import { describe, expect, it } from 'vitest';
import { settingDifferences, stackDifferences } from '../../src/cli/operator/compareDeployed';

const deployed = {
  dryRun: false,
  exemptPrincipals: ['break-glass', 'arn:aws:iam::*:role/ir-*'],
  exemptTag: { key: 'keystop:exempt', value: 'true' },
};

describe('What the CLI compares with a deployed stage before it acts', () => {
  it('finds no difference in the same settings, whatever the order of the exempt principals', () => {
    expect(settingDifferences(deployed, { ...deployed, exemptPrincipals: [...deployed.exemptPrincipals].reverse() })).toEqual([]);
  });

  it('names each setting that differs, with both values', () => {
    expect(settingDifferences(deployed, { dryRun: true, exemptPrincipals: ['break-glass'], exemptTag: undefined })).toEqual([
      'dryRun: deployed false, here true',
      'exemptPrincipals: deployed "arn:aws:iam::*:role/ir-*,break-glass", here "break-glass"',
      'exemptTag: deployed "keystop:exempt=true", here ""',
    ]);
  });
});

describe('What doctor --stage compares: every setting of the stage against the deployed environment', () => {
  const environment = {
    KEYSTOP_DRY_RUN: 'false',
    KEYSTOP_MEMBER_ACCOUNTS: '111122223333,444455556666',
    KEYSTOP_BREAKER_LIMIT: '10',
    KEYSTOP_STAGE: 'prod',
  };

  it('finds no difference when the stage sets the same values (lists in any order) or leaves them at their defaults', () => {
    expect(stackDifferences(environment, { KEYSTOP_MEMBER_ACCOUNTS: '444455556666, 111122223333' })).toEqual([]);
  });

  it('names each setting by its param, with both values; a variable the deployment does not have is not compared', () => {
    expect(
      stackDifferences(environment, { KEYSTOP_DRY_RUN: 'true', KEYSTOP_BREAKER_LIMIT: '20', KEYSTOP_HONEY_KEYS: 'AKIAHONEYBAITKEY0001' }),
    ).toEqual([
      'dryRun: deployed false, here true',
      'breakerLimit: deployed 10, here 20',
      'memberAccounts: deployed "111122223333,444455556666", here ""',
    ]);
  });
});
