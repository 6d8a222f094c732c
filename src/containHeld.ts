import type { Deps } from './Deps';
import type { IncidentResponse } from './IncidentResponse';
import { respondToIncidents } from './respond';

/**
 * After the breaker was reset: responds again to every credential whose containment the breaker held in this
 * account, as the next report of it would (planned with live facts; contained unless exempt or contained since).
 */
export async function containHeld(accountId: string, deps: Deps): Promise<IncidentResponse[]> {
  if (deps.state === undefined) throw new Error('containing held incidents needs the state table');
  const held = await deps.state.held(accountId, deps.now());
  return respondToIncidents(held.flatMap((record) => (record.last ? [record.last.incident] : [])), deps);
}
