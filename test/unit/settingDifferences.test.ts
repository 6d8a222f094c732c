import { describe, expect, it } from 'vitest';
import { settingDifferences } from '../../src/cli/operator/compareDeployed';

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
