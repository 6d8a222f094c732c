import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../../src/decide/CredentialRecord';
import { activityAfterCutOff } from '../../src/decide/nextResponse';

const record = (cutOffAt?: string) =>
  ({
    schemaVersion: 1,
    key: 'credential#111122223333#user/alice/console',
    accountId: '111122223333',
    achieved: 'contained',
    alerted: 'contained',
    held: false,
    firstSeenAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    ...(cutOffAt ? { cutOffAt } : {}),
  }) satisfies CredentialRecord;

describe('Activity after the session cut-off', () => {
  it('is activity more than the minute IAM takes to apply the deny after its cut-off', () => {
    const cut = record('2026-11-30T10:00:00.000Z');
    expect(activityAfterCutOff(cut, '2026-11-30T10:01:00.001Z')).toBe(true);
    expect(activityAfterCutOff(cut, '2026-11-30T16:00:00Z')).toBe(true);
    expect(activityAfterCutOff(cut, '2026-11-30T10:01:00.000Z')).toBe(false);
    expect(activityAfterCutOff(cut, '2026-11-30T09:59:00Z')).toBe(false);
  });

  it('is nothing without a cut-off, a time, or a time it can read', () => {
    expect(activityAfterCutOff(record(), '2026-11-30T16:00:00Z')).toBe(false);
    expect(activityAfterCutOff(undefined, '2026-11-30T16:00:00Z')).toBe(false);
    expect(activityAfterCutOff(record('2026-11-30T10:00:00.000Z'), undefined)).toBe(false);
    expect(activityAfterCutOff(record('2026-11-30T10:00:00.000Z'), 'not a time')).toBe(false);
  });
});
