import { describe, expect, it } from 'vitest';
import { matchesPattern, matchesPolicy } from '../../src/decide/matchesPolicy';
import type { PolicyMatch } from '../../src/decide/ResponsePolicy';
import { credentials, incidentAbout } from '../support/incidents';

// A GuardDuty report about build-bot's key, severity 5, in account 111122223333.
const incident = incidentAbout(credentials['long-term-key']);

describe('A policy matches an incident (EventBridge semantics)', () => {
  it.each<[string, PolicyMatch, boolean]>([
    ['an empty match: every incident', {}, true],
    ['the source', { source: ['guardduty'] }, true],
    ['another source', { source: ['health'] }, false],
    ['the type', { type: ['UnauthorizedAccess:IAMUser/TorIPCaller'] }, true],
    ['another type', { type: ['Recon:IAMUser/TorIPCaller'] }, false],
    ['the severity, a number', { severity: [5] }, true],
    ['another severity', { severity: [8] }, false],
    ['the severity as text (a number is not its text)', { severity: ['5'] }, false],
    ['the credential kind', { credentialKind: ['long-term-key'] }, true],
    ['another credential kind', { credentialKind: ['role-session'] }, false],
    ['the account', { accountId: ['111122223333'] }, true],
    ['another account', { accountId: ['444455556666'] }, false],
    ["the principal's name", { principalName: ['build-bot'] }, true],
    ['another principal name', { principalName: ['alice'] }, false],
    ['any one pattern of a field', { source: ['health', 'guardduty'] }, true],
    ['every named field: all match', { source: ['guardduty'], severity: [{ numeric: ['>=', 5] }] }, true],
    ['every named field: one does not', { source: ['guardduty'], severity: [{ numeric: ['>', 5] }] }, false],
    ['every named field: the first does not', { source: ['health'], severity: [5] }, false],
  ])('%s', (_, match, expected) => {
    expect(matchesPolicy(match, incident)).toBe(expected);
  });

  it('matches a field the incident lacks with no pattern, not even anything-but', () => {
    const root = incidentAbout(credentials.root);

    expect(matchesPolicy({ principalName: [{ 'anything-but': 'build-bot' }] }, root)).toBe(false);
    expect(matchesPolicy({ principalName: [{ prefix: '' }] }, root)).toBe(false);
    expect(matchesPolicy({ source: ['guardduty'] }, root)).toBe(true);
  });

  it('takes a field named but left undefined (a policy built in code) as not named', () => {
    expect(matchesPolicy({ source: undefined, principalName: ['build-bot'] }, incident)).toBe(true);
  });

  it("reads the principal's name of each credential kind", () => {
    expect(matchesPolicy({ principalName: ['ci-deployer'] }, incidentAbout(credentials['role-session']))).toBe(true);
    expect(matchesPolicy({ principalName: ['partner-sso'] }, incidentAbout(credentials['federated-session']))).toBe(true);
  });
});

describe('Patterns', () => {
  it.each([
    ['exact number', 5, 5, true],
    ['exact number against text', 5, '5', false],
    ['prefix against a number', { prefix: '5' }, 5, false],
    ['anything-but a number', { 'anything-but': 5 }, 5, false],
    ['anything-but a number, another', { 'anything-but': 5 }, 6, true],
    ['anything-but a list, outside it', { 'anything-but': ['a', 'b'] }, 'c', true],
    ['anything-but a prefix, outside it', { 'anything-but': { prefix: 'svc-' } }, 'ci-svc', true],
    ['anything-but a prefix, a number', { 'anything-but': { prefix: '5' } }, 5, true],
  ] as const)('%s', (_, pattern, value, expected) => {
    expect(matchesPattern(pattern as never, value)).toBe(expected);
  });

  it.each([
    [['<', 5], 4, true],
    [['<', 5], 5, false],
    [['<=', 5], 5, true],
    [['<=', 5], 6, false],
    [['=', 5], 5, true],
    [['=', 5], 4, false],
    [['=', 5], 6, false],
    [['>', 5], 6, true],
    [['>', 5], 5, false],
    [['>=', 5], 5, true],
    [['>=', 5], 4, false],
    [['>', 1, '<=', 5], 5, true],
    [['>', 1, '<=', 5], 1, false],
    [['>', 1, '<=', 5], 6, false],
    [['>=', '7'], 7, true],
  ] as const)('numeric %j on %d: %s', (numeric, value, expected) => {
    expect(matchesPattern({ numeric: [...numeric] } as never, value)).toBe(expected);
  });
});
