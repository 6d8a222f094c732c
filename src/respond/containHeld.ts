import type { IncidentResponse } from '../domain/IncidentResponse';
import type { StatefulDeps } from './Deps';
import { respondToIncidents } from './respond';

/**
 * After the breaker was reset: responds again to every credential whose containment the breaker held in this
 * account, as the next report of it would (planned with live facts; contained unless exempt or contained since).
 */
export async function containHeld(accountId: string, deps: StatefulDeps): Promise<IncidentResponse[]> {
  const held = await deps.state.held(accountId, deps.now());
  // The operator decided to contain them all: the breaker, which held them, does not count them again.
  return respondToIncidents(
    held.flatMap((record) => record.demand ?? record.last?.incident ?? []),
    deps,
    { bypassBreaker: true },
  );
}
