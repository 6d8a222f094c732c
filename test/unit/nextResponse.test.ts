import { describe, expect, it } from 'vitest';
import type { CredentialRecord, ResponseLevel } from '../../src/decide/CredentialRecord';
import { holdTransition, nextResponse } from '../../src/decide/nextResponse';
import type { ResponsePlan } from '../../src/decide/planResponse';

/** docs/state-machine.md, "Transitions": one row of the table per case, with the plan, the record and the facts it reads. */

const contain: ResponsePlan = {
  policy: 'guardduty-key-used-by-attacker',
  reason: 'matched',
  explanation: 'a key used by an attacker is contained',
  execute: true,
  steps: [{ type: 'deactivate-access-key' }],
  inapplicable: [],
  bypassBreaker: false,
};
const alertOnly: ResponsePlan = { ...contain, reason: 'notify-only-policy', explanation: 'this policy only alerts', execute: false };

const record = (achieved: ResponseLevel, alerted: ResponseLevel = achieved, more: Partial<CredentialRecord> = {}): CredentialRecord => ({
  schemaVersion: 1,
  key: 'credential#111122223333#key/AKIATRANSITIONS00001',
  accountId: '111122223333',
  achieved,
  alerted,
  held: false,
  firstSeenAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
  ...more,
});

describe('Transitions of a report that calls for containment', () => {
  it.each([
    { row: 'first report', before: undefined, kind: 'act', reason: 'matched' },
    { row: 'after an alert-only report', before: record('alerted'), kind: 'act', reason: 'escalated' },
    { row: 'after an alert that did not go out', before: record('alerted', 'none'), kind: 'act', reason: 'escalated' },
    { row: 'after an alert sent for a failed attempt', before: record('none', 'alerted'), kind: 'act', reason: 'escalated' },
    { row: 'held by the breaker earlier', before: record('alerted', 'alerted', { held: true }), kind: 'act', reason: 'escalated' },
  ] as const)('acts: $row → $reason', ({ before, kind, reason }) => {
    expect(nextResponse(before, contain, { keyStatus: 'Active' })).toMatchObject({ kind, reason });
  });

  it('says why it escalates: an earlier alert-only report, or the breaker that held it', () => {
    expect(nextResponse(record('alerted'), contain, {})).toMatchObject({ explanation: expect.stringContaining('only alerted on') });
    expect(nextResponse(record('alerted', 'alerted', { held: true }), contain, {})).toMatchObject({
      explanation: expect.stringContaining('held by the blast-radius breaker'),
    });
  });

  it('records a key found Inactive before Keystop acted as already-inactive, unless Keystop contained it', () => {
    expect(nextResponse(undefined, contain, { keyStatus: 'Inactive' })).toMatchObject({ kind: 'act', reason: 'already-inactive' });
    expect(nextResponse(record('alerted'), contain, { keyStatus: 'Inactive' })).toMatchObject({ kind: 'act', reason: 'already-inactive' });
    expect(nextResponse(record('contained'), contain, { keyStatus: 'Inactive' })).toMatchObject({ kind: 'duplicate' });
  });

  it('contains again a key Keystop contained and finds Active', () => {
    expect(nextResponse(record('contained'), contain, { keyStatus: 'Active' })).toMatchObject({ kind: 'act', reason: 'key-re-enabled' });
  });

  it('retries when the status of a contained key cannot be read', () => {
    expect(nextResponse(record('contained'), contain, { statusUnknown: true })).toMatchObject({ kind: 'retry' });
    expect(nextResponse(record('alerted'), contain, { statusUnknown: true })).toMatchObject({ kind: 'act', reason: 'escalated' });
  });

  it('is a duplicate for a contained credential when nothing changed, and acts on activity after its session cut-off', () => {
    const cut = record('contained', 'contained', { cutOffAt: '2026-11-30T10:00:00.000Z' });

    expect(nextResponse(record('contained'), contain, {})).toMatchObject({ kind: 'duplicate', reason: 'duplicate-report' });
    expect(nextResponse(cut, contain, {}, { observedAt: '2026-11-30T09:59:00Z' })).toMatchObject({ kind: 'duplicate' });
    expect(nextResponse(cut, contain, {}, { observedAt: '2026-11-30T12:00:00Z' })).toMatchObject({
      kind: 'act',
      reason: 'session-after-cutoff',
      explanation: expect.stringContaining("after Keystop's session cut-off at 2026-11-30T10:00:00.000Z"),
    });
  });

  describe('a key or principal found gone', () => {
    const gone = { gone: 'IAM no longer knows access key AKIATRANSITIONS00001' };

    it.each([
      { row: 'first report', before: undefined },
      { row: 'after an alert-only report', before: record('alerted') },
      { row: 'after a held report', before: record('alerted', 'alerted', { held: true }) },
    ])('tells responders ($row): outcome gone, at the contained level, and follows what it made', ({ before }) => {
      expect(nextResponse(before, contain, gone)).toEqual({
        kind: 'report',
        level: 'contained',
        outcome: 'gone',
        reason: 'credential-gone',
        explanation: 'IAM no longer knows access key AKIATRANSITIONS00001: nothing is left to contain',
        follow: true,
      });
    });

    it('is a duplicate once responders were told at the contained level', () => {
      expect(nextResponse(record('contained'), contain, gone)).toMatchObject({ kind: 'duplicate' });
    });
  });
});

describe('Transitions of a report that only alerts', () => {
  it('alerts on a first report, once', () => {
    expect(nextResponse(undefined, alertOnly, {})).toEqual({
      kind: 'report',
      level: 'alerted',
      outcome: 'notified',
      reason: 'notify-only-policy',
      explanation: 'this policy only alerts',
    });
    expect(nextResponse(record('alerted'), alertOnly, {})).toMatchObject({ kind: 'duplicate' });
    expect(nextResponse(record('contained'), alertOnly, { keyStatus: 'Inactive' })).toMatchObject({ kind: 'duplicate' });
  });

  it('alerts when responders were not told yet, whatever was achieved', () => {
    expect(nextResponse(record('none', 'none'), alertOnly, {})).toMatchObject({ kind: 'report', level: 'alerted' });
    expect(nextResponse(record('alerted', 'none'), alertOnly, {})).toMatchObject({ kind: 'duplicate' });
    expect(nextResponse(record('none', 'alerted'), alertOnly, {})).toMatchObject({ kind: 'duplicate' });
  });

  it('tells responders, once, that a key Keystop contained is Active again and stays so; the record falls back to alerted', () => {
    expect(nextResponse(record('contained'), alertOnly, { keyStatus: 'Active' })).toMatchObject({
      kind: 'report',
      level: 'alerted',
      outcome: 'notified',
      tell: true,
      achieved: 'alerted',
    });
  });

  it('tells the approver why an approved containment was refused, unless it is contained already', () => {
    expect(nextResponse(record('alerted'), alertOnly, {}, { approval: true })).toMatchObject({
      kind: 'report',
      level: 'alerted',
      tell: true,
      explanation: expect.stringContaining('but not contained: this policy only alerts'),
    });
    expect(nextResponse(record('alerted'), alertOnly, {})).toMatchObject({ kind: 'duplicate' });
    expect(nextResponse(record('contained'), alertOnly, { keyStatus: 'Inactive' }, { approval: true })).toMatchObject({
      kind: 'duplicate',
    });
  });
});

describe('Transitions when the breaker refuses a containment', () => {
  it('alerts a credential newly held, even after a weaker alert, and only records it while held', () => {
    expect(holdTransition(undefined, contain)).toMatchObject({ kind: 'report', level: 'alerted', reason: 'breaker-open', tell: true });
    expect(holdTransition(record('alerted'), contain)).toMatchObject({ reason: 'breaker-open', tell: true });
    const still = holdTransition(record('alerted', 'alerted', { held: true }), contain);
    expect(still).toMatchObject({ kind: 'report', level: 'none', reason: 'still-held' });
    expect(still).not.toHaveProperty('tell');
  });
});

describe('What each transition tells responders', () => {
  const last = {
    outcome: 'contained' as const,
    reason: 'matched' as const,
    explanation: 'contained',
    actions: [],
    incident: { id: 'guardduty:111122223333:f1' } as never,
    at: '2026-11-30T10:00:00.000Z',
  };
  const contained = record('contained', 'contained', { last });
  const before = ' (incident guardduty:111122223333:f1, contained)';

  it('names the earlier incident and what it came to', () => {
    expect(nextResponse(contained, contain, {}).explanation).toBe(
      `already contained${before}; nothing changed since, so no second containment and no second alert`,
    );
    expect(nextResponse(contained, contain, { keyStatus: 'Active' }).explanation).toBe(
      `the key was found Active again after Keystop had deactivated it${before}, so it was contained again; a key used by an attacker is contained`,
    );
    expect(nextResponse(contained, contain, { gone: 'IAM does not know it' }).explanation).toBe(
      `the credential no longer exists and responders were told${before}`,
    );
    expect(nextResponse(contained, alertOnly, { keyStatus: 'Active' }).explanation).toBe(
      `the key Keystop had contained${before} is Active again, and Keystop leaves it so: this policy only alerts`,
    );
    expect(nextResponse(contained, alertOnly, { keyStatus: 'Inactive' }).explanation).toBe(
      `responders already know at least this much${before}; nothing changed, no second alert`,
    );
    expect(nextResponse(undefined, alertOnly, {}, { approval: true }).explanation).toBe('this policy only alerts');
  });

  it('names no earlier incident when the record has none, and moves a session cut-off in words', () => {
    const cut = record('contained', 'contained', { cutOffAt: '2026-11-30T10:00:00.000Z' });

    expect(nextResponse(record('contained'), contain, {}).explanation).toBe(
      'already contained; nothing changed since, so no second containment and no second alert',
    );
    expect(nextResponse(cut, contain, {}, { observedAt: '2026-11-30T12:00:00Z' }).explanation).toBe(
      "activity at 2026-11-30T12:00:00Z is after Keystop's session cut-off at 2026-11-30T10:00:00.000Z, so by a session " +
        'issued since, which the deny does not reach: the cut-off moves to now; a key used by an attacker is contained',
    );
  });

  it('says why a status it could not read, or a key already Inactive, decides', () => {
    expect(nextResponse(contained, contain, { statusUnknown: true }).explanation).toBe(
      "the key's status could not be read, so a re-enabled key cannot be told from a contained one",
    );
    expect(nextResponse(undefined, contain, { keyStatus: 'Inactive' }).explanation).toBe(
      'the key was already Inactive (deactivated before Keystop acted): not written again; a key used by an attacker is contained',
    );
  });

  it('tells nothing new about a key found Active that Keystop never contained', () => {
    expect(nextResponse(record('alerted'), alertOnly, { keyStatus: 'Active' })).toMatchObject({ kind: 'duplicate' });
  });

  it('reports held, approved-but-refused and alert-only transitions as notified', () => {
    expect(nextResponse(record('alerted'), alertOnly, {}, { approval: true })).toMatchObject({ outcome: 'notified' });
    expect(holdTransition(undefined, contain)).toMatchObject({ outcome: 'notified' });
    expect(holdTransition(record('alerted', 'alerted', { held: true }), contain)).toMatchObject({
      outcome: 'notified',
      explanation: 'still held by the open blast-radius breaker; responders were told already. a key used by an attacker is contained',
    });
  });
});
