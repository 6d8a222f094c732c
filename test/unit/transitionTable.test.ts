import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CredentialRecord, isStronger } from '../../src/decide/CredentialRecord';
import { type CredentialFacts, holdTransition, nextResponse, type Transition } from '../../src/decide/nextResponse';
import type { ResponsePlan } from '../../src/decide/planResponse';

/**
 * The transition table of docs/state-machine.md ("The plan for this report | The record | Transition | Alert") is the
 * specification; this test reads it and holds the pure transition functions to every row: the kind of transition the
 * row's Transition cell starts with, the reason each case names (it must appear in that cell), and its Alert cell. A row
 * added, reworded or removed in the doc without a case here fails, and so does a case the code answers otherwise.
 */

interface Row {
  plan: string;
  record: string;
  transition: string;
  alert: string;
}

function tableRows(): Row[] {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'state-machine.md'), 'utf8');
  const lines = doc.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| The plan for this report | The record | Transition | Alert |'));
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [plan, record, transition, alert] = line.split(' | ').map((cell) => cell.replace(/^\| ?| ?\|$/g, '').trim());
    rows.push({ plan: plan!, record: record!, transition: transition!, alert: alert! });
  }
  return rows;
}

/** The kind of transition a Transition cell describes, by the words it starts with. */
function kindOf(cell: string): Transition['kind'] {
  if (/^(act\b|critical path)/.test(cell)) return 'act';
  if (cell.startsWith('`duplicate`')) return 'duplicate';
  if (cell.startsWith('fail')) return 'retry';
  return 'report';
}

/** Whether responders hear of a transition: acting always; a report when it tells or is news; never a duplicate. */
function alerts(transition: Transition, record: CredentialRecord | undefined): boolean {
  if (transition.kind === 'act') return true;
  if (transition.kind !== 'report') return false;
  return transition.tell === true || isStronger(transition.level, record?.alerted ?? 'none');
}

const contain: ResponsePlan = {
  policy: 'contain-keys',
  reason: 'matched',
  explanation: 'the policy contain-keys matched',
  execute: true,
  steps: [{ type: 'deactivate-access-key' }],
  inapplicable: [],
  bypassBreaker: false,
};
const alertOnly: ResponsePlan = { ...contain, reason: 'notify-only-policy', explanation: 'notify only', execute: false, steps: [] };

const record = (fields: Partial<CredentialRecord>): CredentialRecord => ({
  schemaVersion: 1,
  key: 'credential#111122223333#AKIAIOSFODNN7EXAMPLE',
  accountId: '111122223333',
  achieved: 'none',
  alerted: 'none',
  held: false,
  firstSeenAt: '2026-11-30T10:00:00.000Z',
  updatedAt: '2026-11-30T10:00:00.000Z',
  ...fields,
});
const alerted = record({ achieved: 'alerted', alerted: 'alerted' });
const contained = record({ achieved: 'contained', alerted: 'contained' });
const active: CredentialFacts = { keyStatus: 'Active' };
const inactive: CredentialFacts = { keyStatus: 'Inactive' };

interface Case {
  name: string;
  /** The transition, from the pure functions. */
  transition: () => Transition;
  record: CredentialRecord | undefined;
  /** The reason the row's Transition cell names for this case (in backticks). */
  reason?: string;
}

/** Each row of the doc's table, by its first two cells, and the cases that play it. */
const cases: Record<string, Case[]> = {
  'contain | nothing, or `alerted`': [
    { name: 'no record', record: undefined, transition: () => nextResponse(undefined, contain, {}), reason: 'matched' },
    { name: 'alerted before', record: alerted, transition: () => nextResponse(alerted, contain, {}), reason: 'escalated' },
    {
      name: 'held before',
      record: record({ alerted: 'alerted', achieved: 'alerted', held: true }),
      transition: () => nextResponse(record({ alerted: 'alerted', achieved: 'alerted', held: true }), contain, active),
      reason: 'escalated',
    },
  ],
  "contain | `contained` in Keystop's own account, the tamper guard still watching it (`guardUntil` ahead, nothing pending, not held or released, no activity after a session cut-off)":
    [
      {
        name: 'from the record alone (no IAM read)',
        record: record({ achieved: 'contained', alerted: 'contained', guardUntil: '2026-12-07T10:00:00.000Z' }),
        transition: () =>
          nextResponse(record({ achieved: 'contained', alerted: 'contained', guardUntil: '2026-12-07T10:00:00.000Z' }), contain, {}),
      },
    ],
  'contain | `contained`, not watched (guard window over, `guardWindowDays: 0`), key Inactive': [
    { name: 'key Inactive', record: contained, transition: () => nextResponse(contained, contain, inactive) },
  ],
  'contain | `contained`, not watched, key found **Active**': [
    { name: 'key Active', record: contained, transition: () => nextResponse(contained, contain, active), reason: 'key-re-enabled' },
  ],
  "contain | `contained` by a session deny (`cutOffAt`), the report's activity (`observedAt`) more than a minute after the cut-off": [
    {
      name: 'activity 61 s after the cut-off',
      record: record({ achieved: 'contained', alerted: 'contained', cutOffAt: '2026-11-30T10:00:00.000Z' }),
      transition: () =>
        nextResponse(
          record({ achieved: 'contained', alerted: 'contained', cutOffAt: '2026-11-30T10:00:00.000Z' }),
          contain,
          {},
          {
            observedAt: '2026-11-30T10:01:01.000Z',
          },
        ),
      reason: 'session-after-cutoff',
    },
  ],
  "contain | `contained`, the key's status could not be read": [
    { name: 'status unknown', record: contained, transition: () => nextResponse(contained, contain, { statusUnknown: true }) },
  ],
  'contain, key already Inactive | below `contained`': [
    {
      name: 'exact path (status read)',
      record: undefined,
      transition: () => nextResponse(undefined, contain, inactive),
      reason: 'already-inactive',
    },
    {
      name: 'critical path (status not read)',
      record: undefined,
      transition: () => nextResponse(undefined, contain, {}),
      reason: 'matched',
    },
  ],
  'contain, key or principal gone | below `contained`': [
    {
      name: 'gone',
      record: alerted,
      transition: () => nextResponse(alerted, contain, { gone: 'IAM does not know the key' }),
      reason: 'credential-gone',
    },
  ],
  'contain, breaker refuses | not held yet': [
    { name: 'first refusal', record: undefined, transition: () => holdTransition(undefined, contain), reason: 'breaker-open' },
    { name: 'after an alert', record: alerted, transition: () => holdTransition(alerted, contain), reason: 'breaker-open' },
  ],
  'contain, breaker refuses | already held': [
    {
      name: 'held again',
      record: record({ achieved: 'alerted', alerted: 'alerted', held: true }),
      transition: () => holdTransition(record({ achieved: 'alerted', alerted: 'alerted', held: true }), contain),
      reason: 'still-held',
    },
  ],
  'alert only (exempt *now*, notify-only, sample, dry-run…) | nothing': [
    { name: 'first alert', record: undefined, transition: () => nextResponse(undefined, alertOnly, {}) },
  ],
  'alert only (exempt *now*…) | `contained`, key found **Active**': [
    { name: 'undone and left so', record: contained, transition: () => nextResponse(contained, alertOnly, active), reason: 'alerted' },
  ],
  'alert only | `alerted` or `contained`': [
    { name: 'alerted', record: alerted, transition: () => nextResponse(alerted, alertOnly, {}) },
    { name: 'contained', record: contained, transition: () => nextResponse(contained, alertOnly, inactive) },
  ],
};

describe('The transition table of docs/state-machine.md', () => {
  const rows = tableRows();

  it('is read from the doc, and every row has its cases here (and no case is left without its row)', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.map((row) => `${row.plan} | ${row.record}`).sort()).toEqual(Object.keys(cases).sort());
  });

  describe.each(rows)('$plan | $record', (row) => {
    it.each(cases[`${row.plan} | ${row.record}`] ?? [])('$name: as the row says', ({ transition, record, reason }) => {
      const next = transition();

      expect(next.kind).toBe(kindOf(row.transition));
      expect(alerts(next, record)).toBe(row.alert.startsWith('yes'));
      if (reason !== undefined) {
        expect(row.transition).toContain(`\`${reason}\``);
        // `alerted` names the level the record falls back to; every other name is the transition's reason.
        if (reason === 'alerted') expect(next).toMatchObject({ kind: 'report', achieved: 'alerted' });
        else expect(next).toMatchObject({ reason });
      }
    });
  });
});
