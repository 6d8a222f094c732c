import { describe, expect, it } from 'vitest';
import { isLaterNotification } from '../../src/sources/isLaterNotification';

const CREATED = '2026-11-27T03:00:00.000Z';
const updatedAfter = (ms: number) => new Date(Date.parse(CREATED) + ms).toISOString();

describe("isLaterNotification: GuardDuty's later notifications of a finding delivered before", () => {
  it("is a later notification when occurrences were counted after the first notification's 5 minutes", () => {
    expect(isLaterNotification(2, CREATED, updatedAfter(5 * 60_000 + 1))).toBe(true);
    expect(isLaterNotification(54, CREATED, updatedAfter(6 * 3_600_000))).toBe(true);
  });

  it('is the first notification up to 5 minutes after the finding was created, whatever it counts', () => {
    expect(isLaterNotification(7, CREATED, updatedAfter(5 * 60_000))).toBe(false);
    expect(isLaterNotification(7, CREATED, CREATED)).toBe(false);
  });

  it('is no later notification with one occurrence, even updated later (an update is not a repeat)', () => {
    expect(isLaterNotification(1, CREATED, updatedAfter(60 * 60_000))).toBe(false);
    expect(isLaterNotification(0, CREATED, updatedAfter(60 * 60_000))).toBe(false);
  });

  it('is none when the count or either time is missing or unreadable: a first report is never skipped on a guess', () => {
    expect(isLaterNotification(undefined, CREATED, updatedAfter(60 * 60_000))).toBe(false);
    expect(isLaterNotification(Number.NaN, CREATED, updatedAfter(60 * 60_000))).toBe(false);
    expect(isLaterNotification(5, undefined, updatedAfter(60 * 60_000))).toBe(false);
    expect(isLaterNotification(5, CREATED, undefined)).toBe(false);
    expect(isLaterNotification(5, 'yesterday', updatedAfter(60 * 60_000))).toBe(false);
  });
});
