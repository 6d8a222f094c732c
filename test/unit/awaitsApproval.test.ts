import { describe, expect, it } from 'vitest';
import { awaitsApproval } from '../../src/decide/awaitsApproval';
import type { StoredResponse } from '../../src/decide/CredentialRecord';
import { incidentAbout } from '../support/incidents';

const incident = incidentAbout({ kind: 'long-term-key', accessKeyId: 'AKIAAWAITSAPPROVAL01', userName: 'dev' });
const last = (overrides: Partial<StoredResponse>): StoredResponse => ({
  outcome: 'notified',
  reason: 'notify-only-policy',
  explanation: 'alert only',
  actions: [],
  incident,
  at: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe('Approval: only what Keystop asked to approve', () => {
  it.each([
    ['its latest alert-only response, for a notify-only policy', last({}), incident.id, true],
    ['its latest response, when no policy matched', last({ reason: 'no-matching-policy' }), incident.id, true],
    ['no record at all (Keystop never alerted on it)', undefined, incident.id, false],
    ['another incident of the credential', last({}), 'guardduty:111122223333:other', false],
    ['a credential held by the breaker', last({ reason: 'breaker-open' }), incident.id, false],
    ['an exempt principal', last({ reason: 'exempt-principal' }), incident.id, false],
    ['a credential already contained', last({ outcome: 'contained', reason: 'matched' }), incident.id, false],
    ['a sample finding', last({ incident: { ...incident, sample: true } }), incident.id, false],
  ])('%s', (_, response, approvedId, expected) => {
    expect(awaitsApproval(response && { last: response }, approvedId)).toBe(expected);
  });
});

describe('Approval: what a person approves must be named', () => {
  it('is no approval without an incident id, or without a latest response', () => {
    expect(awaitsApproval({ last: last({}) }, undefined)).toBe(false);
    expect(awaitsApproval({ last: undefined }, incident.id)).toBe(false);
  });

  it('is asked only for an alert-only response (notified), whatever else the reason', () => {
    expect(awaitsApproval({ last: last({ outcome: 'duplicate' }) }, incident.id)).toBe(false);
    expect(awaitsApproval({ last: last({ outcome: 'failed' }) }, incident.id)).toBe(false);
  });
});
