import { planResponse } from '../decide/planResponse';
import type { AdaptedEvent } from '../domain/AdaptedEvent';
import type { Made } from '../domain/Creation';
import type { CredentialIncident } from '../domain/CredentialIncident';
import { messageOf } from '../domain/errors';
import type { IncidentResponse } from '../domain/IncidentResponse';
import { credentialKey } from '../domain/identifiers';
import type { Deps } from './Deps';
import { respondOnCriticalPath } from './incident/criticalPath';
import { respondExactly } from './incident/exactPath';
import { settleEach } from './plumbing/settleEach';
import { respondToTampering } from './respondToTampering';

/** Incidents of one event handled at once: a Security Hub batch of 100 must not become 100 × the IAM rate. */
const INCIDENT_CONCURRENCY = 5;

/**
 * The response to one event. Each incident stands alone (a failing one does not stop the others); when any did not
 * complete, the invocation fails once, after all were handled, so Lambda retries the event and the retry redoes
 * only the unfinished ones (the finished ones are recorded and answer as duplicates).
 */
export async function respond(adapted: AdaptedEvent, deps: Deps): Promise<IncidentResponse[]> {
  if (adapted.kind === 'ignored') {
    deps.logger.info('event ignored: not a credential compromise Keystop acts on', { reason: adapted.reason, detail: adapted.detail });
    return [{ outcome: 'ignored', reason: adapted.reason, explanation: adapted.detail, incident: null, policy: undefined, actions: [] }];
  }
  if (adapted.kind === 'tamper') {
    // The guard acts first; what the key made is noted after (a failure to note it fails the event, and the retry's
    // tamper reports answer as duplicates).
    const guarded = await respondToTampering(adapted.reports, deps);
    if (adapted.made === undefined) return guarded;
    return [...guarded, await rememberMade(adapted.made, deps)];
  }
  return respondToIncidents(adapted.incidents, deps);
}

/** What a key made, in the creation log: containing that key later follows it without waiting for CloudTrail's history. */
async function rememberMade(made: Made, deps: Deps): Promise<IncidentResponse> {
  const what = made.creations.map((c) => c.kind).join(', ');
  if (deps.creationLog === undefined) {
    return ignoredResponse(`${made.creatorKeyId} made ${what}: not noted (no state table); the event history still has it`);
  }
  await deps.creationLog.remember(made.accountId, made.creatorKeyId, made.creations, deps.now());
  deps.logger.info('noted what a key made', { creatorKeyId: made.creatorKeyId, accountId: made.accountId, what });
  return ignoredResponse(`${made.creatorKeyId} made ${what} in ${made.accountId}: noted, followed if that key is contained`);
}

const ignoredResponse = (explanation: string): IncidentResponse => ({
  outcome: 'ignored',
  reason: 'not-a-compromise-signal',
  explanation,
  incident: null,
  policy: undefined,
  actions: [],
});

/** Every incident on its own, a few at a time; one error at the end if any did not complete. */
export function respondToIncidents(
  incidents: readonly CredentialIncident[],
  deps: Deps,
  options: { bypassBreaker?: boolean } = {},
): Promise<IncidentResponse[]> {
  return settleEach(incidents, async (incident) => [await respondToIncident(incident, deps, options)], {
    concurrency: INCIDENT_CONCURRENCY,
    failedResponse: (error, incident) => ({
      outcome: 'failed',
      reason: 'error',
      explanation: messageOf(error),
      incident,
      policy: undefined,
      actions: [],
    }),
  });
}

/**
 * One report about one credential, in fixed phases (docs/state-machine.md): claim ∥ admission ∥ facts → plan →
 * transition → execute → record → report. A first report calling for containment takes the critical path (the same
 * phases ordered for one round trip before the containment write); everything else, and whatever the critical path
 * hands over, the exact path.
 */
async function respondToIncident(
  reported: CredentialIncident,
  deps: Deps,
  /** `keystop breaker reset --contain-held`: an operator's explicit decision, not counted against the breaker. */
  options: { bypassBreaker?: boolean } = {},
): Promise<IncidentResponse> {
  const key = credentialKey(reported);
  const initial = planResponse(deps.policies, reported, deps.guardrails);
  const { credential } = reported;
  // A long-term key's deactivation comes first: IAM's answer to it proves the named user holds the key before
  // anything else is done to that user.
  const firstStep =
    credential.kind !== 'long-term-key' || (credential.userName !== undefined && initial.steps[0]?.type === 'deactivate-access-key');
  // A report whose finding a customer edited, and an approval, are checked against the record (decide/isRecordedEcho.ts,
  // decide/awaitsApproval.ts) before anything is written.
  const checkedFirst = reported.updatedByCustomer === true || reported.source === 'approved';
  if (deps.state !== undefined && initial.execute && firstStep && !checkedFirst) {
    const answered = await respondOnCriticalPath(reported, initial, key, deps.state, deps, options);
    if (answered !== undefined) return answered;
  }
  return respondExactly(reported, initial, key, deps, options);
}
