import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXEMPT_TAG,
  defaultGuardrails,
  mayActIn,
  needsPrincipalFacts,
  noGuardrails,
  parseExemptTag,
} from '../../src/decide/Guardrails';

describe('Guardrails: the accounts Keystop may change', () => {
  const scope = (members: string[]) => ({ own: '111122223333', members });

  it.each([
    ['its own account', [], '111122223333', false, true],
    ['its own account, named only in content', [], '111122223333', true, true],
    ['a listed member', ['444455556666'], '444455556666', false, true],
    ['a listed member, named only in content', ['444455556666'], '444455556666', true, true],
    ['an account not listed', ['444455556666'], '777788889999', false, false],
    ['any account under *', ['*'], '777788889999', false, true],
    ['an account named only in content under * (the attacker may name any account)', ['*'], '777788889999', true, false],
    ['no member account in a single-account deployment', [], '444455556666', false, false],
  ])('%s', (_, members, accountId, namedOnlyInContent, expected) => {
    expect(mayActIn(scope(members), accountId, namedOnlyInContent)).toBe(expected);
  });

  it('counts an account as reporting, not only named, unless told otherwise', () => {
    expect(mayActIn(scope(['*']), '777788889999')).toBe(true);
  });
});

describe('Guardrails: when the planner needs live facts about the principal', () => {
  it.each([
    ['no exemption at all', noGuardrails, false],
    ['the exemption tag', defaultGuardrails, true],
    ['a name pattern only', { ...noGuardrails, exemptPrincipals: ['build-*'] }, false],
    ['an ARN pattern (it may name a path)', { ...noGuardrails, exemptPrincipals: ['build-*', 'arn:aws:iam::*:role/x'] }, true],
    ['a name containing arn: later', { ...noGuardrails, exemptPrincipals: ['my-arn:x'] }, false],
  ])('%s', (_, guardrails, expected) => {
    expect(needsPrincipalFacts(guardrails)).toBe(expected);
  });
});

describe('Guardrails: defaults', () => {
  it('contain by default, exempt nobody by name, and honour keystop:exempt=true', () => {
    expect(defaultGuardrails).toEqual({ dryRun: false, exemptPrincipals: [], exemptTag: { key: 'keystop:exempt', value: 'true' } });
    expect(noGuardrails).toEqual({ dryRun: false, exemptPrincipals: [], exemptTag: undefined });
    expect(DEFAULT_EXEMPT_TAG).toEqual({ key: 'keystop:exempt', value: 'true' });
  });
});

describe('Guardrails: the exemption tag setting', () => {
  it.each([
    ['keystop:exempt=true', { key: 'keystop:exempt', value: 'true' }],
    [' team = platform ', { key: 'team', value: 'platform' }],
    ['k=a=b', { key: 'k', value: 'a=b' }],
    ['', undefined],
    ['   ', undefined],
  ])('reads %j', (text, expected) => {
    expect(parseExemptTag(text)).toEqual(expected);
  });

  it.each(['keystop:exempt', 'keystop:exempt=', '=true'])('refuses %j, which lacks a key or a value', (text) => {
    expect(() => parseExemptTag(text)).toThrow(`an exemption tag is written key=value, e.g. keystop:exempt=true (got "${text}")`);
  });
});
