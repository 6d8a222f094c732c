import type { IncidentResponse } from '../../domain/IncidentResponse';
import { shownStatus } from '../../report/shownStatus';

/** Pure: responses as a responder reads them in a terminal. */
export function formatResponses(responses: readonly IncidentResponse[]): string {
  return responses
    .map((response) =>
      [
        `Outcome: ${response.outcome.toUpperCase()} (${response.reason})${response.policy ? ` — policy ${response.policy}` : ''}`,
        `Why:     ${response.explanation}`,
        ...response.actions.map((a) => `  - [${shownStatus(response.reason, a.status)}] ${a.type} ${a.target}: ${a.reason}`),
      ].join('\n'),
    )
    .join('\n\n');
}
