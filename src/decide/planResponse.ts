import { type ActionSpec, actionCatalog } from '../actions/actionCatalog';
import { type BreakerTrip, ORGANISATION_HOLD } from '../domain/BreakerTrip';
import type { CredentialIncident } from '../domain/CredentialIncident';
import { exemptionFor } from './exemptionFor';
import { type Guardrails, mayActIn } from './Guardrails';
import { matchesPolicy } from './matchesPolicy';
import { protectionFor, protectionReasons } from './protectionFor';
import type { ResponsePolicy } from './ResponsePolicy';

/** Why the plan is what it is; the alert shows it. */
export const planReasons = [
  'matched',
  'sample-finding',
  'exempt-principal',
  'dry-run',
  'notify-only-policy',
  'no-matching-policy',
  'no-applicable-action',
  'account-not-allowed',
  ...protectionReasons,
  'breaker-open',
  'unmapped-signal',
] as const;
export type PlanReason = (typeof planReasons)[number];

export interface ResponsePlan {
  /** The policy that decided, if one matched. */
  policy: string | undefined;
  reason: PlanReason;
  /** A sentence for people: why this plan. */
  explanation: string;
  /** Whether the steps are carried out (contain) or only reported (everything else). */
  execute: boolean;
  /** The policy's steps that apply to this kind of credential, in order; the alert is always sent after them. */
  steps: ActionSpec[];
  /** The policy's steps that cannot act on this kind of credential. */
  inapplicable: ActionSpec[];
  /** Whether containment goes ahead when the blast-radius breaker is open. */
  bypassBreaker: boolean;
}

/** Pure: which policy decides this incident, and which guardrail (if any) holds its actions back. */
export function planResponse(
  policies: readonly ResponsePolicy[],
  incident: CredentialIncident,
  guardrails: Guardrails,
  /** The principal's IAM tags when they were read (only when the plan would act); undefined when not. */
  principalTags?: Readonly<Record<string, string>>,
): ResponsePlan {
  if (incident.credential.kind === 'unmapped') return planUnmapped(incident, incident.credential.entities);
  const policy = policies.find((candidate) => matchesPolicy(candidate.match, incident));
  if (policy === undefined) {
    return {
      policy: undefined,
      reason: 'no-matching-policy',
      explanation: 'no response policy matches this incident; responders are alerted, nothing is changed',
      execute: false,
      steps: [],
      inapplicable: [],
      bypassBreaker: false,
    };
  }
  const kind = incident.credential.kind;
  const applies = (step: ActionSpec) => actionCatalog[step.type].appliesTo.includes(kind);
  const steps = policy.actions.filter(applies);
  const inapplicable = policy.actions.filter((step) => !applies(step));
  const held = (reason: PlanReason, explanation: string): ResponsePlan => ({
    policy: policy.name,
    reason,
    explanation,
    execute: false,
    steps,
    inapplicable,
    bypassBreaker: policy.bypassBreaker ?? false,
  });
  if (policy.mode === 'notify-only') {
    return held('notify-only-policy', `policy "${policy.name}" only alerts: ${policy.description}`);
  }
  if (steps.length === 0) {
    return held(
      'no-applicable-action',
      `policy "${policy.name}" has no action that can contain a ${kind}: responders must act (see NEXT STEPS)`,
    );
  }
  if (incident.sample) {
    return held('sample-finding', 'this is a generated sample finding: Keystop never contains on samples');
  }
  const protection = protectionFor(incident, guardrails);
  if (protection !== undefined) return held(protection.reason, protection.explanation);
  const scope = guardrails.accounts;
  if (scope !== undefined && !mayActIn(scope, incident.accountId, incident.accountNamedOnlyInContent)) {
    const members = scope.members.length === 0 ? 'no member accounts are configured' : `member accounts: ${scope.members.join(', ')}`;
    const named = incident.accountNamedOnlyInContent ? ', and it is named only inside the report, not as its account' : '';
    return held(
      'account-not-allowed',
      `account ${incident.accountId} is not one Keystop may act in (it runs in ${scope.own}; ${members}${named}): responders must act there`,
    );
  }
  const exemption = exemptionFor(incident, guardrails.exemptPrincipals);
  if (exemption !== undefined) {
    return held('exempt-principal', `the principal is exempt from automatic containment (matches "${exemption}")`);
  }
  const tag = guardrails.exemptTag;
  if (tag !== undefined && principalTags?.[tag.key] === tag.value) {
    return held('exempt-principal', `the principal is exempt from automatic containment (tag ${tag.key}=${tag.value})`);
  }
  if (guardrails.dryRun || policy.mode === 'dry-run') {
    const where = guardrails.dryRun ? 'Keystop runs in dry-run mode' : `policy "${policy.name}" is in dry-run mode`;
    return held('dry-run', `${where}: nothing was changed; the actions below are what would have been done`);
  }
  return { ...held('matched', policy.description), execute: true };
}

/**
 * A compromise signal that names no credential Keystop can identify: no policy can act on it, and it must not be
 * dropped either. Responders get the alert with what the report names, quoted.
 */
function planUnmapped(incident: CredentialIncident, entities: readonly string[]): ResponsePlan {
  const named =
    entities.length > 0
      ? entities
          .slice(0, 5)
          .map((e) => `"${e}"`)
          .join(', ')
      : 'nothing';
  return {
    policy: undefined,
    reason: incident.sample ? 'sample-finding' : 'unmapped-signal',
    explanation: incident.sample
      ? 'this is a generated sample finding: Keystop never contains on samples'
      : `${incident.type} reports a compromise, but Keystop cannot tell which credential from what it names (${named}): responders must find and contain it by hand`,
    execute: false,
    steps: [],
    inapplicable: [],
    bypassBreaker: false,
  };
}

/** The account's limit as its share of the organisation's, said where it is one. */
const shareText = (trip: BreakerTrip) =>
  trip.shareOf === undefined
    ? ''
    : ` (its limit, ${trip.of ?? trip.count}, is this account's share of the organisation's ${trip.shareOf}: no three accounts can fill the organisation's breaker)`;

/** Pure: the plan held back because a blast-radius breaker is open (the account's, or the organisation's). */
export function holdForBreaker(plan: ResponsePlan, trip: BreakerTrip): ResponsePlan {
  const explanation =
    trip.limit === 'organisation'
      ? `${ORGANISATION_HOLD}: ${trip.count} automatic containments across ` +
        `${trip.accounts ?? 'several'} accounts within the window, so Keystop only alerts, in every account, until an ` +
        'operator checks and runs `keystop breaker reset --org` (or the window passes)'
      : `the blast-radius breaker is open: ${trip.count} automatic containments in this account within the window${shareText(trip)}, so ` +
        'Keystop only alerts until an operator checks and runs `keystop breaker reset` (or the window passes)';
  return { ...plan, reason: 'breaker-open', execute: false, explanation };
}
