import { reportingSteps } from '../actions/ContainmentAction';
import type { IncidentResponse } from '../domain/IncidentResponse';
import type { TimelineEntry } from '../domain/TimelineEntry';

/** The steps that cut a credential off: what "contained" means in time-to-contain. */
const CUTTING_STEPS = new Set(['deactivate-access-key', 'deactivate-user-keys', 'revoke-sessions']);
const HUMAN_SOURCES = new Set(['manual', 'approved']);
const GUARD_REASONS = new Set(['tampered', 'responder-change']);

/**
 * What one response adds to its credential's story, in order: the report (or the human act, or the change the guard
 * saw), the decision, each step that ran, each alert. Pure: the caller stamps `at` (the moment the response ended)
 * on what has no time of its own.
 */
export function timelineOf(response: IncidentResponse, at: Date): TimelineEntry[] {
  const { incident } = response;
  if (incident === null) return [];
  const now = at.toISOString();
  const incidentId = incident.id;
  const opening: TimelineEntry = HUMAN_SOURCES.has(incident.source)
    ? {
        at: now,
        kind: 'human',
        incidentId,
        text: `${incident.source === 'manual' ? 'reported' : 'approved'} by a responder: ${incident.title}`,
      }
    : GUARD_REASONS.has(response.reason)
      ? { at: incident.observedAt, kind: 'guard', incidentId, text: `the guard saw: ${incident.title}` }
      : response.reason === 'released'
        ? { at: now, kind: 'human', incidentId, text: `released by a responder: ${response.explanation}` }
        : {
            at: incident.observedAt,
            kind: 'report',
            incidentId,
            firstActivityAt: incident.firstSeenAt ?? incident.observedAt,
            text: `${incident.source} reported ${incident.type} (severity ${incident.severity})${
              incident.evidence.sourceIp ? ` from ${incident.evidence.sourceIp}` : ''
            }`,
          };
  const decision: TimelineEntry = {
    at: now,
    kind: 'decision',
    incidentId,
    text: `${response.outcome} (${response.reason}): ${response.explanation}`,
  };
  const steps = response.actions.map((action): TimelineEntry => {
    const reporting = (reportingSteps as readonly string[]).includes(action.type);
    const cutOff = action.status === 'done' && CUTTING_STEPS.has(action.type);
    return {
      at: action.at ?? now,
      kind: reporting ? 'alert' : 'action',
      incidentId,
      text: `${action.type} ${action.target}: ${action.status}${action.reason ? ` (${action.reason})` : ''}`,
      ...(cutOff ? { cutOff } : {}),
    };
  });
  return [opening, decision, ...steps];
}

/** From the first recorded activity to the first step that cut the credential off; undefined until both are known. */
export function timeToContainMs(entries: readonly TimelineEntry[]): number | undefined {
  const first = Math.min(...entries.flatMap((e) => (e.firstActivityAt ? [Date.parse(e.firstActivityAt)] : [])));
  const cut = Math.min(...entries.flatMap((e) => (e.cutOff ? [Date.parse(e.at)] : [])));
  return Number.isFinite(first) && Number.isFinite(cut) && cut >= first ? cut - first : undefined;
}

/** The story as lines for a terminal: oldest first, then time-to-contain. */
export function formatTimeline(key: string, entries: readonly TimelineEntry[]): string {
  const ordered = [...entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const width = Math.max(...ordered.map((e) => e.kind.length), 0);
  const lines = ordered.map((e) => `${e.at}  ${e.kind.padEnd(width)}  ${e.text}`);
  const ttc = timeToContainMs(ordered);
  const tail =
    ttc === undefined ? 'not contained (no step cut it off yet)' : `contained ${formatDuration(ttc)} after the first recorded activity`;
  return [`${key}`, ...lines, tail].join('\n');
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}
