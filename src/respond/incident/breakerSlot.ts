import { createHash } from 'node:crypto';
import { holdForBreaker, type ResponsePlan } from '../../decide/planResponse';
import { type CredentialIncident, iamPrincipalOf } from '../../domain/CredentialIncident';
import { credentialKey, principalRef } from '../../domain/identifiers';
import { formatBreakerAlert } from '../../report/notify/formatBreakerAlert';
import type { BreakerSlot, TakenSlot } from '../../stores/StateStore';
import type { Deps } from '../Deps';

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

/** Counts the principal against the account's breaker; an open breaker holds the plan (it becomes an alert). */
export async function admit(
  incident: CredentialIncident,
  plan: ResponsePlan,
  deps: Deps,
): Promise<{ held: false; taken?: TakenSlot } | { held: true; plan: ResponsePlan }> {
  if (deps.state === undefined) return { held: false };
  const slot = slotOf(incident);
  try {
    const admission = await deps.state.admit(slot.accountId, slot.principal, deps.now());
    if (admission.admitted) return { held: false, ...(admission.stamp ? { taken: { ...slot, stamp: admission.stamp } } : {}) };
    if (admission.justOpened) {
      await deps.notifier.publish(formatBreakerAlert(incident.accountId, admission.count, deps.now())).catch((error: unknown) => {
        deps.logger.error('could not publish the breaker-open alert', { accountId: incident.accountId, error });
      });
    }
    return { held: true, plan: holdForBreaker(plan, admission.count) };
  } catch (error) {
    deps.logger.error('breaker state unavailable; containing without it', { incidentId: incident.id, error });
    return { held: false };
  }
}

export async function giveBackSlot({ accountId, principal, stamp }: TakenSlot, deps: Deps): Promise<void> {
  await deps.state
    ?.giveBack(accountId, principal, stamp)
    .catch((error: unknown) => deps.logger.error('could not give the breaker slot back', { accountId, principal, error }));
}
