import { describe, expect, it } from 'vitest';
import type { StoredResponse } from '../../src/decide/CredentialRecord';
import { isRecordedEcho } from '../../src/decide/isRecordedEcho';
import type { CredentialIncident } from '../../src/domain/CredentialIncident';
import { credentials, incidentAbout } from '../support/incidents';

const findingArn = 'arn:aws:securityhub:eu-west-1:111122223333:finding/0001';
const answered = incidentAbout(credentials['long-term-key'], {
  source: 'security-hub',
  id: `security-hub:111122223333:${findingArn}`,
  observedAt: '2026-10-02T08:16:45Z',
  origin: { findingId: findingArn, findingArn, eventId: 'event-1' },
});
const record = (incident: CredentialIncident) => ({
  last: { outcome: 'contained', reason: 'matched', explanation: 'x', actions: [], incident, at: '2026-10-02T08:17:00Z' } as StoredResponse,
});
const report = (overrides: Partial<CredentialIncident>) => ({
  ...answered,
  origin: { ...answered.origin, eventId: 'event-2' },
  ...overrides,
});

describe("A Security Hub report that only echoes one Keystop answered (its own note re-fired 'Findings - Imported')", () => {
  it('is the same finding, as its provider last wrote it, delivered as another event', () => {
    expect(isRecordedEcho(record(answered), report({}))).toBe(true);
  });

  it.each([
    ['a redelivery of the same event (a retry of what failed)', report({ origin: answered.origin })],
    ['the provider updated the finding since', report({ observedAt: '2026-10-02T09:00:00Z' })],
    ['another finding', report({ id: 'security-hub:111122223333:other' })],
    ['a report from another source', report({ source: 'guardduty' })],
  ])('is not an echo: %s', (_, incoming) => {
    expect(isRecordedEcho(record(answered), incoming)).toBe(false);
  });

  it('is not an echo of an answer from another source about the same id', () => {
    expect(isRecordedEcho(record({ ...answered, source: 'guardduty' }), report({}))).toBe(false);
  });

  it('is not an echo without a record, a last answer, or a report', () => {
    expect(isRecordedEcho(undefined, report({}))).toBe(false);
    expect(isRecordedEcho({ last: undefined }, report({}))).toBe(false);
    expect(isRecordedEcho(record(answered), undefined)).toBe(false);
  });
});
