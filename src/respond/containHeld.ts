import type { IncidentResponse } from '../domain/IncidentResponse';
import { ORGANISATION } from '../stores/StateStore';
import type { StatefulDeps } from './Deps';
import { respondToIncidents } from './respond';

/**
 * After a breaker was reset: responds again to every credential whose containment it held, as the next report of it
 * would (planned with live facts; contained unless exempt or contained since). An account's reset: the held
 * credentials of that account. The organisation's (`ORGANISATION`): the held credentials of every account whose own
 * breaker is not open — one that is open may have held them itself, and its own reset decides about those.
 */
export async function containHeld(accountId: string, deps: StatefulDeps): Promise<IncidentResponse[]> {
  const organisation = accountId === ORGANISATION;
  const held = await deps.state.held(organisation ? undefined : accountId, deps.now());
  const closed = new Set<string>();
  if (organisation) {
    for (const account of new Set(held.map((r) => r.accountId))) {
      if (!(await deps.state.breakerStatus(account, deps.now())).open) closed.add(account);
    }
  }
  // The operator decided to contain them all: the breaker, which held them, does not count them again.
  return respondToIncidents(
    held.filter((r) => !organisation || closed.has(r.accountId)).flatMap((record) => record.demand ?? record.last?.incident ?? []),
    deps,
    { bypassBreaker: true },
  );
}
