import { createHash } from 'node:crypto';
import { holdForBreaker, type ResponsePlan } from '../../decide/planResponse';
import type { BreakerTrip } from '../../domain/BreakerTrip';
import { type CredentialIncident, iamPrincipalOf } from '../../domain/CredentialIncident';
import { credentialKey, principalRef } from '../../domain/identifiers';
import { formatBreakerAlert } from '../../report/notify/formatBreakerAlert';
import { type BreakerAdmission, type BreakerSlot, ORGANISATION, type StateStore, type TakenSlot } from '../../stores/StateStore';
import type { Deps } from '../Deps';
import { attackerMade, attackerMadeMembers } from './attackerMade';

/** What the breaker counts: the IAM user or role (all its sessions are one), else the credential itself. */
export function principalOf(incident: CredentialIncident): string | undefined {
  const principal = iamPrincipalOf(incident.credential);
  return principal ? principalRef(principal) : undefined;
}

/**
 * The slot an incident asks for: its principal, else the credential itself. IAM names are at most 64 characters; a
 * longer one (report text, not a name IAM issued) is counted by its hash, so that the breaker's item (one attribute
 * name per principal) stays small whatever a report says.
 */
export function slotOf(incident: CredentialIncident): BreakerSlot {
  const principal = principalOf(incident) ?? credentialKey(incident);
  return {
    accountId: incident.accountId,
    principal: principal.length <= 160 ? principal : `sha256:${createHash('sha256').update(principal).digest('hex')}`,
  };
}

/**
 * How long a refused admission waits before its second look. A critical path takes its slot at the gate, before it
 * knows the credential still exists, and gives it back when the write finds it gone (or an exemption, a busy claim):
 * for about one IAM round trip (UpdateAccessKey answers in ~100 ms in AWS) the breaker may look full without being so.
 * A refusal in that moment would hold a containment the breaker has room for (and send a false "breaker OPEN").
 */
const SECOND_LOOK_MS = 300;

/**
 * Counts the principal against its account's breaker and, in an organisation deployment, the organisation's (in
 * parallel); a breaker that refuses holds the plan (it becomes an alert), and what the other took goes back. A refusal
 * is looked at twice: the first look does not open a breaker; after a pause (SECOND_LOOK_MS) the second decides, and
 * only it may open one (and send that breaker's one alert, saying which limit tripped).
 *
 * Between the looks, what the attacker made is taken out (attackerMade.ts): a principal it made is contained without a
 * slot (`uncounted` says why), and the members of a refusing breaker it made are evicted, as if they had never taken a
 * slot, so that principals it created and got reported first never hold back the leaked key reported after them.
 */
export async function admit(
  incident: CredentialIncident,
  plan: ResponsePlan,
  deps: Deps,
): Promise<{ held: false; taken: TakenSlot[]; uncounted?: string } | { held: true; plan: ResponsePlan }> {
  if (deps.state === undefined) return { held: false, taken: [] };
  const { state } = deps;
  const own = slotOf(incident);
  const slots = state.breakersOf(own);
  const look = async (open: boolean) => {
    const answers = await Promise.all(slots.map((slot) => state.admit(slot.accountId, slot.principal, deps.now(), { open })));
    const taken = answers.flatMap((a, i) => (a.added && a.stamp ? [{ ...slots[i]!, stamp: a.stamp }] : []));
    const refusals = answers.flatMap((admission, i) => (admission.admitted ? [] : [{ slot: slots[i]!, admission }]));
    if (refusals.length > 0) await giveBackSlots(taken, deps);
    return { taken, refusals };
  };
  try {
    const first = await look(false);
    if (first.refusals.length === 0) return { held: false, taken: first.taken };
    const { credential } = incident;
    const accessKeyId = credential.kind === 'long-term-key' ? credential.accessKeyId : undefined;
    const asking = { key: credentialKey(incident), incidentId: incident.id };
    const uncounted = await attackerMade({ ...own, ...(accessKeyId ? { accessKeyId } : {}) }, asking, deps);
    if (uncounted !== undefined) return { held: false, taken: [], uncounted: `contained without a breaker slot: ${uncounted}` };
    const evicted = await evictAttackerMade(
      first.refusals.map((r) => r.slot.accountId),
      asking,
      { ...deps, state },
    );
    await deps.sleep(SECOND_LOOK_MS);
    const { taken, refusals } = await look(true);
    if (refusals.length === 0) {
      return {
        held: false,
        taken,
        ...(evicted.length > 0 ? { uncounted: `the breaker's slots of ${evicted.join('; ')} were given back` } : {}),
      };
    }
    const trips = refusals.map(({ slot, admission }) => ({ ...admission, trip: tripOf(slot, admission) }));
    for (const { justOpened, trip } of trips) {
      if (!justOpened) continue;
      await deps.notifier.publish(formatBreakerAlert(incident.accountId, trip, deps.now())).catch((error: unknown) => {
        deps.logger.error('could not publish the breaker-open alert', { accountId: incident.accountId, limit: trip.limit, error });
      });
    }
    return { held: true, plan: holdForBreaker(plan, trips[0]!.trip) };
  } catch (error) {
    deps.logger.error('breaker state unavailable; containing without it', { incidentId: incident.id, error });
    return { held: false, taken: [] };
  }
}

/**
 * Takes the members the attacker made out of each refusing breaker; what was taken out, with why. A breaker that cannot
 * be read or written here (unavailable, contended in the storm it is for) keeps its count: the refusal stands, and the
 * second look decides as if nothing had been taken out (admit's own failure would contain without the breaker).
 */
async function evictAttackerMade(
  breakers: readonly string[],
  asking: { key: string; incidentId: string },
  deps: Deps & { state: StateStore },
): Promise<string[]> {
  const evicted = await Promise.all(
    breakers.map((breaker) =>
      evictFrom(breaker, asking, deps).catch((error: unknown) => {
        deps.logger.warn('could not take what the attacker made out of the breaker; its count stands', { breaker, error });
        return [];
      }),
    ),
  );
  return evicted.flat();
}

async function evictFrom(
  breaker: string,
  asking: { key: string; incidentId: string },
  deps: Deps & { state: StateStore },
): Promise<string[]> {
  const { state } = deps;
  const { principals } = await state.breakerStatus(breaker, deps.now());
  // Members an earlier refusal in this window found settled as established are not asked again (a storm's refusals
  // would each read every member otherwise). A memo that cannot be read asks about every member.
  const known = new Set(
    await state.established(breaker, deps.now()).catch((error: unknown) => {
      deps.logger.warn('could not read which breaker members were found established; asking about all', { breaker, error });
      return [];
    }),
  );
  const { made, settled } = await attackerMadeMembers(
    breaker,
    principals.filter((p) => !known.has(p)),
    asking,
    deps,
  );
  await state.rememberEstablished(breaker, settled, deps.now()).catch((error: unknown) => {
    deps.logger.warn('could not remember which breaker members were found established', { breaker, error });
  });
  if (made.length === 0) return [];
  const out = await state.evict(
    breaker,
    made.map((m) => m.member),
    deps.now(),
  );
  deps.logger.warn('the breaker counted principals the attacker made: taken out', { breaker, evicted: made });
  return made.filter((m) => out.includes(m.member)).map((m) => `${m.member} (${m.why})`);
}

function tripOf(slot: BreakerSlot, admission: BreakerAdmission): BreakerTrip {
  return slot.accountId === ORGANISATION
    ? { limit: 'organisation', count: admission.count, ...(admission.accounts === undefined ? {} : { accounts: admission.accounts }) }
    : { limit: 'account', count: admission.count, ...(admission.shareOf ? { shareOf: admission.shareOf, of: admission.limit } : {}) };
}

/** Gives back the slots an attempt took (best effort: a slot left counts until the window passes). */
export async function giveBackSlots(taken: readonly TakenSlot[], deps: Deps): Promise<void> {
  await Promise.all(
    taken.map(({ accountId, principal, stamp }) =>
      deps.state
        ?.giveBack(accountId, principal, stamp)
        .catch((error: unknown) => deps.logger.error('could not give the breaker slot back', { accountId, principal, error })),
    ),
  );
}
