import { describe, expect, it } from 'vitest';
import { checkParams, paramSettings } from '../../src/aws/checkParams';
import { closestName } from '../../src/aws/closestName';

const params = paramSettings().map((s) => s.param);

describe('A mistyped setting gets the one it most likely meant', () => {
  it.each([
    ['breakerLimt', 'breakerLimit'],
    ['dryrun', 'dryRun'],
    ['honeyKey', 'honeyKeys'],
    ['exmeptTag', 'exemptTag'],
    ['memberAcounts', 'memberAccounts'],
  ])('%s → %s', (typed, meant) => {
    expect(closestName(typed, params)).toBe(meant);
  });

  it('suggests nothing for a name that is close to none', () => {
    expect(closestName('colour', params)).toBeUndefined();
    expect(closestName('x', params)).toBeUndefined();
  });

  it('the package-time check says it in one line instead of listing every setting', () => {
    expect(checkParams({ breakerLimt: '5' })).toEqual(['param breakerLimt is not a Keystop setting (did you mean breakerLimit?)']);
    expect(checkParams({ colour: 'blue' })[0]).toMatch(/^param colour is not a Keystop setting \(known: dryRun, .*breakerLimit/);
  });
});
