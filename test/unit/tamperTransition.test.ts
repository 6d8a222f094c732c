import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../../src/decide/CredentialRecord';
import { tamperTransition } from '../../src/decide/nextResponse';
import type { TamperReport } from '../../src/domain/TamperReport';
import { incidentAbout } from '../support/incidents';

/** docs/state-machine.md, "The tamper guard": one row of its table per case. */

const NOW = new Date('2026-12-01T12:00:00.000Z');
const ATTACKER = 'arn:aws:iam::111122223333:user/mallory';

const report = (change: TamperReport['change'], more: Partial<TamperReport> = {}): TamperReport => ({
  id: 'tamper:111122223333:e1',
  change,
  accountId: '111122223333',
  region: 'us-east-1',
  observedAt: '2026-12-01T11:59:00Z',
  principal: { kind: 'user', name: 'build-bot' },
  accessKeyId: 'AKIATAMPERTEST000001',
  api: change === 'key-re-enabled' ? 'UpdateAccessKey' : change === 'deny-policy-removed' ? 'DeleteUserPolicy' : 'CreateAccessKey',
  actor: ATTACKER,
  sourceIp: '203.0.113.9',
  byResponder: false,
  eventId: 'e1',
  ...more,
});

const guarded = (more: Partial<CredentialRecord> = {}): CredentialRecord => ({
  schemaVersion: 1,
  key: 'credential#111122223333#key/AKIATAMPERTEST000001',
  accountId: '111122223333',
  achieved: 'contained',
  alerted: 'contained',
  held: false,
  guardUntil: '2026-12-08T12:00:00.000Z',
  last: {
    outcome: 'contained',
    reason: 'matched',
    explanation: 'contained',
    actions: [],
    incident: incidentAbout(
      { kind: 'long-term-key', accessKeyId: 'AKIATAMPERTEST000001', userName: 'build-bot' },
      { id: 'guardduty:1:f1' },
    ),
    at: '2026-12-01T10:00:00.000Z',
  },
  firstSeenAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...more,
});

describe('Tamper guard transitions', () => {
  it('leaves alone a credential Keystop did not contain, and says who did what', () => {
    expect(tamperTransition(undefined, report('key-re-enabled'), NOW)).toEqual({
      kind: 'unguarded',
      explanation: `UpdateAccessKey by ${ATTACKER} from 203.0.113.9: Keystop did not contain this credential`,
    });
    expect(tamperTransition(guarded({ guardUntil: undefined }), report('key-re-enabled', { sourceIp: undefined }), NOW)).toEqual({
      kind: 'unguarded',
      explanation: `UpdateAccessKey by ${ATTACKER}: Keystop did not contain this credential`,
    });
  });

  it('leaves alone a credential a responder released, naming who, when and why', () => {
    const released = guarded({ released: { by: 'arn:aws:iam::111122223333:user/oncall', reason: 'rotated', at: '2026-12-01T11:00:00Z' } });

    expect(tamperTransition(released, report('key-re-enabled'), NOW)).toMatchObject({
      kind: 'unguarded',
      explanation: expect.stringContaining('released by arn:aws:iam::111122223333:user/oncall on 2026-12-01T11:00:00Z (rotated)'),
    });
  });

  it('watches until the guard window ends, to the millisecond', () => {
    const until = guarded({ guardUntil: NOW.toISOString() });

    expect(tamperTransition(until, report('key-re-enabled'), NOW)).toMatchObject({ kind: 'restore' });
    expect(tamperTransition(until, report('key-re-enabled'), new Date(NOW.getTime() + 1))).toMatchObject({
      kind: 'unguarded',
      explanation: expect.stringContaining(`older than the guard window (watched until ${NOW.toISOString()})`),
    });
  });

  it('answers a redelivery of the change it handled as a duplicate', () => {
    expect(tamperTransition(guarded({ lastTamper: 'tamper:111122223333:e1' }), report('key-re-enabled'), NOW)).toEqual({
      kind: 'duplicate',
      explanation: `UpdateAccessKey by ${ATTACKER} from 203.0.113.9 was handled already`,
    });
    expect(tamperTransition(guarded({ lastTamper: 'tamper:111122223333:e0' }), report('key-re-enabled'), NOW)).toMatchObject({
      kind: 'restore',
    });
  });

  it('restores a re-enabled key or a removed deny, naming the change and the containment', () => {
    expect(tamperTransition(guarded(), report('key-re-enabled'), NOW)).toEqual({
      kind: 'restore',
      explanation: `access key AKIATAMPERTEST000001 was re-enabled by ${ATTACKER} from 203.0.113.9 after Keystop contained it (incident guardduty:1:f1): contained again`,
    });
    expect(tamperTransition(guarded(), report('deny-policy-removed'), NOW)).toMatchObject({
      kind: 'restore',
      explanation: expect.stringContaining("Keystop's session-deny policy on user build-bot was removed or replaced (DeleteUserPolicy)"),
    });
  });

  it('warns about a new key or console password, which it does not undo', () => {
    expect(tamperTransition(guarded(), report('access-key-created', { accessKeyId: 'AKIANEWKEYTAMPER0001' }), NOW)).toMatchObject({
      kind: 'warn',
      explanation: expect.stringContaining('a new access key AKIANEWKEYTAMPER0001 was created for user build-bot'),
    });
    expect(tamperTransition(guarded(), report('access-key-created', { accessKeyId: undefined }), NOW)).toMatchObject({
      explanation: expect.stringContaining('a new access key was created for user build-bot'),
    });
    expect(tamperTransition(guarded(), report('login-profile-changed', { api: 'CreateLoginProfile' }), NOW)).toMatchObject({
      kind: 'warn',
      explanation: expect.stringContaining('a console password was set for user build-bot (CreateLoginProfile)'),
    });
  });

  it("records a responder's change as sanctioned: an undo counts as a release, anything else is only recorded", () => {
    const byResponder = { byResponder: true, actor: 'arn:aws:iam::111122223333:user/oncall' };

    expect(tamperTransition(guarded(), report('key-re-enabled', byResponder), NOW)).toMatchObject({
      kind: 'sanctioned',
      explanation: expect.stringContaining('recorded as released (incident guardduty:1:f1), not undone'),
    });
    expect(tamperTransition(guarded(), report('deny-policy-removed', byResponder), NOW)).toMatchObject({
      kind: 'sanctioned',
      explanation: expect.stringContaining('recorded as released'),
    });
    expect(tamperTransition(guarded(), report('access-key-created', byResponder), NOW)).toMatchObject({
      kind: 'sanctioned',
      explanation: expect.stringContaining('recorded, nothing undone'),
    });
  });

  it('leaves the incident out of the explanation when the record has none', () => {
    const explanation = tamperTransition(guarded({ last: undefined }), report('key-re-enabled'), NOW).explanation;

    expect(explanation).toBe(
      `access key AKIATAMPERTEST000001 was re-enabled by ${ATTACKER} from 203.0.113.9 after Keystop contained it: contained again`,
    );
  });
});
