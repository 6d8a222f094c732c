import { describe, expect, it } from 'vitest';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { formatTimeline, timelineOf, timeToContainMs } from '../../src/report/timelineOf';
import { credentials, incidentAbout } from '../support/incidents';

const incident = {
  ...incidentAbout(credentials['long-term-key']),
  observedAt: '2026-10-02T08:16:45Z',
  firstSeenAt: '2026-10-02T08:14:03Z',
};
const response = (overrides: Partial<IncidentResponse>): IncidentResponse => ({
  outcome: 'contained',
  reason: 'matched',
  explanation: 'the key was used from Tor',
  incident,
  policy: 'p',
  actions: [],
  ...overrides,
});

describe("A credential's story: what each response adds, in order", () => {
  it('a report, the decision, each step and the alert; the step that cut the key off is marked', () => {
    const entries = timelineOf(
      response({
        actions: [
          { type: 'deactivate-access-key', status: 'done', target: 'AKIA1', reason: 'deactivated', at: '2026-10-02T08:20:02Z' },
          { type: 'tag-principal', status: 'done', target: 'user/alice', reason: 'tagged', at: '2026-10-02T08:20:03Z' },
          { type: 'notify', status: 'done', target: 'topic', reason: '', at: '2026-10-02T08:20:04Z' },
        ],
      }),
      new Date('2026-10-02T08:20:05Z'),
    );

    expect(entries.map((e) => [e.kind, e.cutOff ?? false])).toEqual([
      ['report', false],
      ['decision', false],
      ['action', true],
      ['action', false],
      ['alert', false],
    ]);
    expect(entries[0]).toMatchObject({ at: '2026-10-02T08:16:45Z', firstActivityAt: '2026-10-02T08:14:03Z' });
    expect(entries[1]!.text).toBe('contained (matched): the key was used from Tor');
    expect(timeToContainMs(entries)).toBe(Date.parse('2026-10-02T08:20:02Z') - Date.parse('2026-10-02T08:14:03Z'));
  });

  it('no time-to-contain while nothing cut the credential off: an alert-only report, a failed or skipped step', () => {
    const alerted = timelineOf(response({ outcome: 'notified', reason: 'notify-only-policy' }), new Date('2026-10-02T08:20:05Z'));
    const failed = timelineOf(
      response({ outcome: 'failed', actions: [{ type: 'deactivate-access-key', status: 'failed', target: 'AKIA1', reason: 'throttled' }] }),
      new Date('2026-10-02T08:20:05Z'),
    );

    expect(timeToContainMs(alerted)).toBeUndefined();
    expect(timeToContainMs(failed)).toBeUndefined();
    expect(formatTimeline('credential#x', [...alerted, ...failed])).toMatch(/not contained \(no step cut it off yet\)$/);
  });

  it("a responder's approval and release are human acts; the guard's changes are the guard's", () => {
    const at = new Date('2026-10-02T09:00:00Z');
    const approved = timelineOf(response({ incident: { ...incident, source: 'approved' }, reason: 'escalated' }), at);
    const released = timelineOf(
      response({ outcome: 'notified', reason: 'released', explanation: 'released by alice: false positive' }),
      at,
    );
    const tampered = timelineOf(
      response({ reason: 'tampered', incident: { ...incident, title: 'UpdateAccessKey Active by mallory' } }),
      at,
    );

    expect([approved[0]!.kind, released[0]!.kind, tampered[0]!.kind]).toEqual(['human', 'human', 'guard']);
    expect(released[0]!.text).toBe('released by a responder: released by alice: false positive');
    expect(tampered[0]!.text).toBe('the guard saw: UpdateAccessKey Active by mallory');
  });

  it('prints oldest first, whatever order the entries were stored in, and ends with time-to-contain', () => {
    const entries = timelineOf(
      response({
        actions: [{ type: 'deactivate-access-key', status: 'done', target: 'AKIA1', reason: 'deactivated', at: '2026-10-02T08:20:02Z' }],
      }),
      new Date('2026-10-02T08:20:05Z'),
    );

    const printed = formatTimeline('credential#123456789012#AKIA1', [...entries].reverse()).split('\n');

    expect(printed[0]).toBe('credential#123456789012#AKIA1');
    expect(printed[1]).toMatch(/^2026-10-02T08:16:45Z {2}report/);
    expect(printed.at(-1)).toBe('contained 6 min after the first recorded activity');
  });
});
