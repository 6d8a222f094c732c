import type { MiddlewareObj } from '@middy/core';
import { ContainmentFailedError, IncompleteResponseError, NotificationFailedError } from '../domain/errors';
import type { IncidentResponse } from '../domain/IncidentResponse';
import { responseMetricLines } from '../metrics/recordResponseMetrics';
import type { Deps } from '../respond/Deps';

/**
 * Writes the metrics of each invocation (CloudWatch EMF), derived from the responses it returned or the error it
 * failed with, when deps have a metrics output. Writing metrics never fails an invocation.
 */
export function recordMetrics(
  sourceName: string,
  deps: Pick<Deps, 'metrics' | 'now' | 'logger'>,
): MiddlewareObj<unknown, IncidentResponse[]> {
  const source = sourceDimensionOf(sourceName);
  let enteredAt = new Date(0);
  const record = (responses: readonly IncidentResponse[]) => {
    const output = deps.metrics;
    if (output === undefined) return;
    try {
      const lines = responseMetricLines(responses, {
        source,
        enteredAt,
        observations: output.log.take(),
        stage: output.stage,
        logger: deps.logger,
      });
      for (const line of lines) output.write(line);
    } catch (error) {
      deps.logger.warn('could not write the metrics of this invocation', { error });
    }
  };
  return {
    before: () => {
      enteredAt = deps.now();
      deps.metrics?.log.take();
    },
    after: (request) => record(request.response ?? []),
    onError: (request) => record(responsesCarriedBy(request.error)),
  };
}

/** The responses a failed invocation still produced: every incident's of the event, completed or not. */
export function responsesCarriedBy(error: unknown): IncidentResponse[] {
  if (error instanceof IncompleteResponseError) return error.responses;
  return error instanceof ContainmentFailedError || error instanceof NotificationFailedError ? [error.response] : [];
}

/** `GuardDuty` → `guardduty`, `Security Hub` → `security-hub`, `AWS Health` → `health`: the incidents' own names. */
export function sourceDimensionOf(sourceName: string): string {
  return sourceName.toLowerCase().replace(/^aws /, '').replace(/\s+/g, '-');
}
