import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_RECORD_VERSION,
  type CredentialRecord,
  isStronger,
  parseCredentialRecord,
  type StoredAction,
  stepsDone,
  storedResponseOf,
  strongerOf,
  withDone,
} from '../../src/decide/CredentialRecord';
import { credentials, incidentAbout, responseTo } from '../support/incidents';
import { clockStart } from '../support/testClock';

const now = new Date(clockStart());
const incident = incidentAbout(credentials['long-term-key']);
const KEY = 'credential#111122223333#AKIAEXAMPLELEAKED001';

const deactivated: StoredAction = { type: 'deactivate-access-key', status: 'done', target: 'AKIAEXAMPLELEAKED001', reason: 'r' };
const tagged: StoredAction = { type: 'tag-principal', status: 'done', target: 'user/build-bot', reason: 'r' };
const notified: StoredAction = { type: 'notify', status: 'done', target: 'topic', reason: 'r' };
const failed: StoredAction = { type: 'revoke-sessions', status: 'failed', target: 'user/build-bot', reason: 'r' };

const record = (overrides: Partial<CredentialRecord> = {}): CredentialRecord => ({
  schemaVersion: CREDENTIAL_RECORD_VERSION,
  key: KEY,
  accountId: '111122223333',
  achieved: 'contained',
  alerted: 'contained',
  held: false,
  firstSeenAt: now.toISOString(),
  updatedAt: now.toISOString(),
  ...overrides,
});
const stored = (actions: StoredAction[]) => storedResponseOf(responseTo(incident, { actions }), now);

describe('Response levels', () => {
  it.each([
    ['contained', 'alerted', true],
    ['contained', 'none', true],
    ['alerted', 'none', true],
    ['alerted', 'alerted', false],
    ['alerted', 'contained', false],
    ['none', 'none', false],
    ['none', 'alerted', false],
  ] as const)('%s is stronger than %s: %s', (level, than, expected) => {
    expect(isStronger(level, than)).toBe(expected);
  });

  it('keeps the stronger of two, the first on a tie', () => {
    expect(strongerOf('alerted', 'contained')).toBe('contained');
    expect(strongerOf('contained', 'alerted')).toBe('contained');
    expect(strongerOf('none', 'alerted')).toBe('alerted');
    expect(strongerOf('alerted', 'alerted')).toBe('alerted');
  });
});

describe('Reading a stored record back', () => {
  it('reads a record of this version as it was written', () => {
    const written = record({ last: stored([deactivated]), did: [deactivated], guardUntil: now.toISOString() });

    expect(parseCredentialRecord(KEY, { doc: JSON.stringify(written) }, now)).toEqual(written);
  });

  it('refuses a record that does not parse, naming the key and the field', () => {
    const doc = JSON.stringify({ ...record(), achieved: 'quarantined' });

    expect(() => parseCredentialRecord(KEY, { doc }, now)).toThrow(`the state record ${KEY} does not parse:`);
    expect(() => parseCredentialRecord(KEY, { doc }, now)).toThrow(/achieved/);
  });

  it('refuses a record of another version, and a stored incident without its id', () => {
    expect(() => parseCredentialRecord(KEY, { doc: JSON.stringify({ ...record(), schemaVersion: 2 }) }, now)).toThrow('does not parse');
    const noId = { ...record(), last: { ...stored([]), incident: { source: 'guardduty' } } };
    expect(() => parseCredentialRecord(KEY, { doc: JSON.stringify(noId) }, now)).toThrow('a stored incident must carry its id');
    const notAnObject = { ...record(), demand: 'incident' };
    expect(() => parseCredentialRecord(KEY, { doc: JSON.stringify(notAnObject) }, now)).toThrow('a stored incident must carry its id');
    expect(() => parseCredentialRecord(KEY, { doc: JSON.stringify({ ...record(), demand: null }) }, now)).toThrow('does not parse');
  });

  it('refuses an action or a reason the state machine does not know', () => {
    const unknownStep = { ...record(), did: [{ ...deactivated, type: 'delete-access-key' }] };
    const unknownReason = { ...record(), last: { ...stored([]), reason: 'because' } };
    const unknownStatus = { ...record(), did: [{ ...deactivated, status: 'maybe' }] };

    expect(() => parseCredentialRecord(KEY, { doc: JSON.stringify(unknownStep) }, now)).toThrow('does not parse');
    expect(() => parseCredentialRecord(KEY, { doc: JSON.stringify(unknownReason) }, now)).toThrow('does not parse');
    expect(() => parseCredentialRecord(KEY, { doc: JSON.stringify(unknownStatus) }, now)).toThrow('does not parse');
  });

  it('reads every reason and step a response may carry', () => {
    const written = record({
      last: {
        ...stored([notified, { ...tagged, type: 'follow-created' }, { ...tagged, type: 'update-finding' }]),
        reason: 'key-re-enabled',
      },
      pendingAlert: { ...stored([]), reason: 'malformed-event', outcome: 'failed' },
      did: [{ ...deactivated, changedKeys: ['AKIAEXAMPLELEAKED001'] }, { ...tagged, status: 'skipped' }, failed],
      released: { by: 'arn:aws:iam::111122223333:user/responder', reason: 'false positive', at: now.toISOString() },
      tamperAlerts: { 'key-re-enabled': { until: now.toISOString(), quiet: 2 } },
      lastTamper: 'tamper-1',
      cutOffAt: now.toISOString(),
    });

    expect(parseCredentialRecord(KEY, { doc: JSON.stringify(written) }, now)).toEqual(written);
  });

  describe('a record from before the state machine (a claim with a response)', () => {
    const legacy = (overrides: Record<string, unknown>, response: Record<string, unknown> = {}) => ({
      legacy: {
        incidentId: incident.id,
        state: 'responded',
        alertSent: true,
        response: JSON.stringify({
          outcome: 'contained',
          reason: 'matched',
          explanation: 'e',
          actions: [deactivated],
          incident,
          ...response,
        }),
        ...overrides,
      },
    });

    it('is read as the state it stands for: contained and alerted', () => {
      expect(parseCredentialRecord(KEY, legacy({}), now)).toEqual({
        schemaVersion: CREDENTIAL_RECORD_VERSION,
        key: KEY,
        accountId: '111122223333',
        achieved: 'contained',
        alerted: 'contained',
        held: false,
        last: { outcome: 'contained', reason: 'matched', explanation: 'e', actions: [deactivated], incident, at: now.toISOString() },
        firstSeenAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
    });

    it('an alert-only response is alerted; one held by the breaker is held; an unsent alert is still pending', () => {
      const notifiedOnly = parseCredentialRecord(KEY, legacy({}, { outcome: 'notified', reason: 'notify-only-policy' }), now)!;
      expect([notifiedOnly.achieved, notifiedOnly.alerted, notifiedOnly.held]).toEqual(['alerted', 'alerted', false]);
      expect(notifiedOnly).not.toHaveProperty('pendingAlert');

      const held = parseCredentialRecord(KEY, legacy({ alertSent: false }, { outcome: 'notified', reason: 'breaker-open' }), now)!;
      expect([held.achieved, held.alerted, held.held]).toEqual(['alerted', 'none', true]);
      expect(held.pendingAlert).toEqual(held.last);
      expect(held.pendingAlert?.reason).toBe('breaker-open');
    });

    it('takes an alert as not sent when the claim does not say', () => {
      const { alertSent: _, ...rest } = legacy({}).legacy;

      expect(parseCredentialRecord(KEY, { legacy: rest }, now)?.alerted).toBe('none');
    });

    it('keeps the time the response was recorded at, when the claim has it', () => {
      expect(parseCredentialRecord(KEY, legacy({}, { at: '2026-10-02T08:17:00Z' }), now)?.last?.at).toBe('2026-10-02T08:17:00Z');
    });

    it.each([
      ['a claim still in progress', legacy({ state: 'in-progress' })],
      ['a claim without its response', legacy({ response: undefined })],
      ['a claim of another shape', legacy({ state: 'done' })],
      ['a response that does not parse', legacy({}, { outcome: 'maybe' })],
      ['nothing stored', {}],
    ])('is nothing to read: %s', (_, stored) => {
      expect(parseCredentialRecord(KEY, stored, now)).toBeUndefined();
    });
  });
});

describe('What Keystop did to the credential (what a release undoes)', () => {
  it("is the record's did when it has one, whatever the last response", () => {
    expect(stepsDone(record({ did: [tagged], last: stored([deactivated]) }))).toEqual([tagged]);
    expect(stepsDone(record({ did: [], last: stored([deactivated]) }))).toEqual([]);
  });

  it("is the last and pending responses' done containment steps for a record from before did", () => {
    const last = stored([deactivated, notified, failed, { ...notified, type: 'audit' }]);
    const pendingAlert = stored([tagged, { ...notified, type: 'notify-activity' }, { ...notified, type: 'update-finding' }]);

    expect(stepsDone(record({ last, pendingAlert }))).toEqual([deactivated, tagged]);
    expect(stepsDone(record({ last }))).toEqual([deactivated]);
    expect(stepsDone(record({ pendingAlert }))).toEqual([tagged]);
    expect(stepsDone(record())).toEqual([]);
  });

  it('adds the done containment steps of new results, once each: a step done again keeps its first record', () => {
    const again = { ...deactivated, reason: 'done again', at: 'later' };
    const userKeys: StoredAction = {
      type: 'deactivate-user-keys',
      status: 'done',
      target: 'user/build-bot',
      reason: 'r',
      changedKeys: ['A'],
    };
    const otherKeys = { ...userKeys, changedKeys: ['B'] };

    const did = withDone(record({ did: [deactivated, userKeys] }), [
      again,
      tagged,
      notified,
      failed,
      otherKeys,
      { ...tagged, reason: 'twice' },
    ]);

    expect(did).toEqual([deactivated, userKeys, tagged, otherKeys]);
  });

  it('takes a step recorded without changedKeys (before Keystop noted them) and one that changed no key for the same step', () => {
    const legacy: StoredAction = { type: 'deactivate-user-keys', status: 'done', target: 'user/legacy-app', reason: 'r' };

    expect(withDone(record({ did: [legacy] }), [{ ...legacy, changedKeys: [] }])).toEqual([legacy]);
  });

  it("tells steps apart by target, and starts from a legacy record's done steps", () => {
    const other = { ...deactivated, target: 'AKIAEXAMPLEDECOY0001' };

    expect(withDone(record({ last: stored([deactivated]) }), [other])).toEqual([deactivated, other]);
  });
});

describe('A response as the record stores it', () => {
  it('keeps what re-sending its alert and listing it need, with the time it was recorded', () => {
    const response = responseTo(incident, { actions: [deactivated] });

    expect(storedResponseOf(response, now)).toEqual({
      outcome: 'contained',
      reason: 'matched',
      explanation: response.explanation,
      policy: 'guardduty-key-used-by-attacker',
      actions: [deactivated],
      incident,
      at: now.toISOString(),
    });
  });

  it('leaves out a policy the response does not name', () => {
    expect(storedResponseOf(responseTo(incident, { policy: undefined }), now)).not.toHaveProperty('policy');
  });
});
