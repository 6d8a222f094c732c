import type { IncidentResponse } from '../../domain/IncidentResponse';
import { timelineOf } from '../../report/timelineOf';
import type { Deps } from '../Deps';

/**
 * Appends a final response to its credential's story (`keystop incidents show`): after the record and the alert, never
 * before the containment write. Best effort: the story is for reading later, so a failed append is logged and the
 * response stands (the record, the alert and the logs still say what happened).
 */
export async function appendStory(
  key: string,
  response: IncidentResponse,
  record: { guardUntil?: string | undefined },
  deps: Deps,
): Promise<void> {
  if (deps.state === undefined) return;
  const entries = timelineOf(response, deps.now());
  await deps.state
    .appendStory(key, entries, record.guardUntil, deps.now())
    .catch((error: unknown) => deps.logger.error("could not append to the credential's story", { key, error }));
}
