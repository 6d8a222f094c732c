import type { CredentialIncident } from '../domain/CredentialIncident';
import type { ResponseReason } from '../domain/IncidentResponse';
import type { TamperReport } from '../domain/TamperReport';
import { awaitsApproval } from './awaitsApproval';
import { type CredentialRecord, isStronger, type ResponseLevel } from './CredentialRecord';
import { isRecordedEcho } from './isRecordedEcho';
import type { ResponsePlan } from './planResponse';

/** What was read live about the credential before deciding (see gatherFacts). */
export interface CredentialFacts {
  /** The key's status as IAM has it now, for a long-term key whose status could be read. */
  keyStatus?: 'Active' | 'Inactive';
  /** IAM does not know the key (or the principal) any more: there is nothing left to contain. */
  gone?: string;
  /** The key's status could not be read (the read failed): a contained key cannot be told from a re-enabled one. */
  statusUnknown?: boolean;
}

/**
 * The transition a report makes from the credential's state (docs/state-machine.md, one case per arrow):
 * - `act`: carry out the plan's steps (contain);
 * - `report`: change nothing, tell responders at `level` (an alert-only plan, a held one, a gone key);
 * - `duplicate`: change nothing and tell nobody: responders already know at least this much.
 */
export type Transition =
  | { kind: 'act'; reason: ResponseReason; explanation: string }
  | {
      kind: 'report';
      level: ResponseLevel;
      reason: ResponseReason;
      explanation: string;
      outcome: 'notified' | 'gone';
      /** Alert even if responders know this level already: the credential's situation changed. */
      tell?: true;
      /** What Keystop has achieved after this report, when it is less than before (a contained key is Active again). */
      achieved?: ResponseLevel;
      /**
       * The credential is gone but what it made may not be: contain that (src/respond/incident/followCreations.ts). An
       * attacker who plants persistence and then deletes the leaked key must not leave the persistence behind.
       */
      follow?: true;
    }
  | { kind: 'retry'; explanation: string }
  | { kind: 'duplicate'; reason: ResponseReason; explanation: string };

/**
 * Pure: the next step for a credential, given what Keystop achieved for it so far (`record`), the plan for this
 * report (made with live facts), and the facts. A report acts only when it is stronger than what was achieved, or
 * when what was achieved was undone (a re-enabled key).
 */
export function nextResponse(
  record: CredentialRecord | undefined,
  plan: ResponsePlan,
  facts: CredentialFacts,
  report: {
    /** When the report saw the activity (the incident's observedAt). */
    observedAt?: string;
    /** A responder approved containing it (source `approved`): refused by a guardrail, the approver hears why. */
    approval?: boolean;
    /** The report itself, to tell a Security Hub echo of one already answered (src/decide/isRecordedEcho.ts). */
    incident?: Pick<CredentialIncident, 'id' | 'source' | 'observedAt' | 'origin'>;
  } = {},
): Transition {
  const approval = report.approval === true;
  const achieved = record?.achieved ?? 'none';
  const alerted = record?.alerted ?? 'none';
  const before = record?.last ? ` (incident ${record.last.incident.id}, ${record.last.outcome})` : '';

  // An echo brings no new evidence (after a failure or a hold it would otherwise loop: note, echo, attempt, note…);
  // a key found Active again after containment is new, whatever the delivery.
  if (isRecordedEcho(record, report.incident) && !(achieved === 'contained' && facts.keyStatus === 'Active')) {
    return duplicate(`Security Hub re-sent a finding Keystop already answered${before}, unchanged by its provider`);
  }

  if (plan.execute) {
    if (approval && achieved !== 'contained' && !awaitsApproval(record, report.incident?.id)) {
      return {
        kind: 'report',
        level: 'alerted',
        outcome: 'notified',
        reason: 'approval-refused',
        explanation: record?.held
          ? `incident ${report.incident?.id ?? '(unknown)'} is held by the open blast-radius breaker${before}: an approval does not override the breaker, so nothing changed; once an operator has checked the storm, \`keystop breaker reset --contain-held\` contains every held credential`
          : `Keystop did not ask anyone to approve containing incident ${report.incident?.id ?? '(unknown)'}${before}: the approval is refused and nothing changed; contain it by hand if it must be`,
        tell: true,
      };
    }
    if (facts.gone !== undefined) {
      return isStronger('contained', alerted)
        ? {
            kind: 'report',
            level: 'contained',
            outcome: 'gone',
            reason: 'credential-gone',
            explanation: `${facts.gone}: nothing is left to contain`,
            follow: true,
          }
        : duplicate(`the credential no longer exists and responders were told${before}`);
    }
    if (achieved === 'contained') {
      if (facts.statusUnknown) {
        return {
          kind: 'retry',
          explanation: "the key's status could not be read, so a re-enabled key cannot be told from a contained one",
        };
      }
      if (facts.keyStatus === 'Active') {
        return {
          kind: 'act',
          reason: 'key-re-enabled',
          explanation: `the key was found Active again after Keystop had deactivated it${before}, so it was contained again; ${plan.explanation}`,
        };
      }
      if (activityAfterCutOff(record, report.observedAt)) {
        return {
          kind: 'act',
          reason: 'session-after-cutoff',
          explanation:
            `activity at ${report.observedAt} is after Keystop's session cut-off at ${record!.cutOffAt}${before}, so by a session ` +
            `issued since, which the deny does not reach: the cut-off moves to now; ${plan.explanation}`,
        };
      }
      return duplicate(`already contained${before}; nothing changed since, so no second containment and no second alert`);
    }
    if (facts.keyStatus === 'Inactive') {
      return {
        kind: 'act',
        reason: 'already-inactive',
        explanation: `the key was already Inactive (deactivated before Keystop acted): not written again; ${plan.explanation}`,
      };
    }
    if (record?.held) {
      return {
        kind: 'act',
        reason: 'escalated',
        explanation: `held by the blast-radius breaker earlier${before}; the breaker admits it now: ${plan.explanation}`,
      };
    }
    if (achieved === 'alerted' || alerted !== 'none') {
      return {
        kind: 'act',
        reason: 'escalated',
        explanation: `an earlier report was only alerted on${before}; this one calls for containment: ${plan.explanation}`,
      };
    }
    return { kind: 'act', reason: plan.reason, explanation: plan.explanation };
  }

  if (achieved === 'contained' && facts.keyStatus === 'Active') {
    // Found undone, and this plan does not contain it (exempt now, dry-run…): responders must hear of it, once.
    return {
      kind: 'report',
      level: 'alerted',
      outcome: 'notified',
      reason: plan.reason,
      explanation: `the key Keystop had contained${before} is Active again, and Keystop leaves it so: ${plan.explanation}`,
      tell: true,
      achieved: 'alerted',
    };
  }
  if (isStronger('alerted', alerted) && isStronger('alerted', achieved)) {
    return { kind: 'report', level: 'alerted', outcome: 'notified', reason: plan.reason, explanation: plan.explanation };
  }
  if (approval && achieved !== 'contained') {
    // Not a repeat: a person asked for containment and a guardrail (an exemption, a sample, Keystop's own role) says no.
    return {
      kind: 'report',
      level: 'alerted',
      outcome: 'notified',
      reason: plan.reason,
      explanation: `approved${before}, but not contained: ${plan.explanation}; nothing changed`,
      tell: true,
    };
  }
  return duplicate(`responders already know at least this much${before}; nothing changed, no second alert`);
}

/** IAM applies a new policy within seconds: a call in the minute after the cut-off may still be an old session's. */
const CUT_OFF_SETTLES_MS = 60_000;

/**
 * Pure: whether a report saw activity after the session cut-off Keystop's deny set for this credential (past the
 * minute IAM takes to apply it): a session issued after the cut-off, which the deny does not reach. Only a credential
 * whose sessions share one record (a user's console sessions) carries a cut-off: its next session is reported under it.
 */
export function activityAfterCutOff(record: CredentialRecord | undefined, observedAt: string | undefined): boolean {
  if (record?.cutOffAt === undefined || observedAt === undefined) return false;
  return Date.parse(observedAt) - Date.parse(record.cutOffAt) > CUT_OFF_SETTLES_MS;
}

/**
 * Pure: whether a report repeats the evidence of a finding a responder released (the same incident id, observed no
 * later): the Security Hub copy of a GuardDuty finding, or a redelivery, is not new evidence, so the release stands. A
 * later observation, GuardDuty's later notification of a finding released on its first, or another finding is new: it
 * is decided afresh.
 */
export function repeatsReleased(record: CredentialRecord | undefined, incident: CredentialIncident): string | undefined {
  if (record?.released === undefined) return undefined;
  const released = [record.last?.incident, record.demand].find((i) => i?.id === incident.id);
  if (released === undefined || Date.parse(incident.observedAt) > Date.parse(released.observedAt)) return undefined;
  // GuardDuty's later notification (a later updatedAt, a higher count) of a finding released on its first: new. Its
  // Security Hub copy is not GuardDuty's own notification.
  if (incident.source === 'guardduty' && incident.repeated && !released.repeated) return undefined;
  return (
    `${incident.id} was released by ${record.released.by} on ${record.released.at} (${record.released.reason}); this report ` +
    `observed nothing later (${incident.observedAt}): no new evidence, not contained again`
  );
}

function duplicate(explanation: string): Transition {
  return { kind: 'duplicate', reason: 'duplicate-report', explanation };
}

/**
 * Pure: the transition when the open breaker refuses a containment. A credential newly held is always alerted (even
 * if an earlier, weaker report was); later reports of a held credential are still held (never duplicates), and
 * responders, who know already, are not told again.
 */
export function holdTransition(
  record: CredentialRecord | undefined,
  plan: ResponsePlan,
  /** A responder approved the containment: every approval gets an answer, even one the breaker still holds. */
  approval = false,
): Extract<Transition, { kind: 'report' }> {
  if (!record?.held) {
    return { kind: 'report', level: 'alerted', outcome: 'notified', reason: 'breaker-open', explanation: plan.explanation, tell: true };
  }
  if (approval) {
    return {
      kind: 'report',
      level: 'none',
      outcome: 'notified',
      reason: 'still-held',
      explanation:
        'approved, but still held by the open blast-radius breaker: `keystop breaker reset --contain-held` contains it (an ' +
        `operator's decision, not counted). ${plan.explanation}`,
      tell: true,
    };
  }
  return {
    kind: 'report',
    level: 'none',
    outcome: 'notified',
    reason: 'still-held',
    explanation: `still held by the open blast-radius breaker; responders were told already. ${plan.explanation}`,
  };
}

/**
 * The tamper guard's transitions (docs/state-machine.md): what a change to a credential Keystop contained does.
 * - `unguarded`: Keystop did not contain it, released it, or contained it longer ago than the guard window: nothing;
 * - `duplicate`: this very change was handled already (a redelivery);
 * - `sanctioned`: a responder made the change: recorded (a key or deny policy undone counts as released), not undone;
 * - `restore`: contained → tampered → contained: the key is deactivated again, the deny policy put back;
 * - `warn`: a new key or console password for a contained user: nothing to undo, responders are alerted.
 */
export type TamperTransition = { kind: 'unguarded' | 'duplicate' | 'sanctioned' | 'restore' | 'warn'; explanation: string };

/** Pure: the transition for a tamper report, given the record of the credential it touches (see TamperTransition). */
export function tamperTransition(record: CredentialRecord | undefined, report: TamperReport, now: Date): TamperTransition {
  const who = `${report.actor}${report.sourceIp ? ` from ${report.sourceIp}` : ''}`;
  if (record?.guardUntil === undefined)
    return { kind: 'unguarded', explanation: `${report.api} by ${who}: Keystop did not contain this credential` };
  if (record.released) {
    return {
      kind: 'unguarded',
      explanation: `${report.api} by ${who}: released by ${record.released.by} on ${record.released.at} (${record.released.reason})`,
    };
  }
  if (Date.parse(record.guardUntil) < now.getTime()) {
    return {
      kind: 'unguarded',
      explanation: `${report.api} by ${who}: Keystop's containment is older than the guard window (watched until ${record.guardUntil})`,
    };
  }
  if (record.lastTamper === report.id) return { kind: 'duplicate', explanation: `${report.api} by ${who} was handled already` };
  const contained = record.last ? ` (incident ${record.last.incident.id})` : '';
  const undoes = report.change === 'key-re-enabled' || report.change === 'deny-policy-removed';
  if (report.byResponder) {
    return {
      kind: 'sanctioned',
      explanation: undoes
        ? `${what(report)} by responder ${who}: recorded as released${contained}, not undone; later reports are new evidence`
        : `${what(report)} by responder ${who}: recorded, nothing undone`,
    };
  }
  if (undoes) {
    return { kind: 'restore', explanation: `${what(report)} by ${who} after Keystop contained it${contained}: contained again` };
  }
  return {
    kind: 'warn',
    explanation: `${what(report)} by ${who} for a user Keystop contained${contained}: whoever holds a session of it may persist this way; check it and act by hand`,
  };
}

function what(report: TamperReport): string {
  switch (report.change) {
    case 'key-re-enabled':
      return `access key ${report.accessKeyId} was re-enabled`;
    case 'deny-policy-removed':
      return `Keystop's session-deny policy on ${report.principal.kind} ${report.principal.name} was removed or replaced (${report.api})`;
    case 'access-key-created':
      return `a new access key${report.accessKeyId ? ` ${report.accessKeyId}` : ''} was created for user ${report.principal.name}`;
    case 'login-profile-changed':
      return `a console password was set for user ${report.principal.name} (${report.api})`;
  }
}
