import { ContainmentFailedError, IncompleteResponseError, NotificationFailedError } from '../../domain/errors';
import type { IncidentResponse } from '../../domain/IncidentResponse';

/**
 * Settle each, fail once at the end: every item is handled on its own (a failing one does not stop the others), a few
 * at a time, in order; when any failed, one IncompleteResponseError carries every response (a failed item's own, when
 * its error carries one, else `failedResponse`) and every error, so that a retry redoes only the unfinished items.
 */
export async function settleEach<T>(
  items: readonly T[],
  handle: (item: T) => Promise<IncidentResponse[]>,
  {
    concurrency = 1,
    failedResponse,
  }: {
    /** How many items run at once (1: one after the other). */
    concurrency?: number;
    /** The response for an item whose error carries none (undefined: such an item adds no response). */
    failedResponse?: (error: unknown, item: T) => IncidentResponse;
  } = {},
): Promise<IncidentResponse[]> {
  const settled: PromiseSettledResult<IncidentResponse[]>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      settled[index] = await handle(items[index]!).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const responses = settled.flatMap((result, index) => {
    if (result.status === 'fulfilled') return result.value;
    const carried = responseCarriedBy(result.reason);
    if (carried) return [carried];
    return failedResponse ? [failedResponse(result.reason, items[index]!)] : [];
  });
  if (failures.length > 0) throw new IncompleteResponseError(responses, failures);
  return responses;
}

/** The response a failure was reported with already (an alert went out for it), if any. */
function responseCarriedBy(error: unknown): IncidentResponse | undefined {
  return error instanceof ContainmentFailedError || error instanceof NotificationFailedError ? error.response : undefined;
}
