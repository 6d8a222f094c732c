import { IncompleteResponseError } from '../../domain/errors';
import type { IncidentResponse } from '../../domain/IncidentResponse';
import { formatResponses } from '../format/formatResponses';

/**
 * Prints the responses, as text or one JSON object; a response that failed (or an outcome `failed`) sets exit code 1,
 * so scripts notice, after everything known has been printed.
 */
export async function reportResponses(
  run: () => Promise<IncidentResponse[]>,
  options: { json?: boolean; printedAlerts: unknown[] },
): Promise<void> {
  let responses: IncidentResponse[];
  let failure: string | undefined;
  try {
    responses = await run();
  } catch (error) {
    // Every incident of the event was handled on its own: print them all, then fail for the ones not completed.
    if (!(error instanceof IncompleteResponseError)) throw error;
    responses = error.responses;
    failure = error.message;
  }
  process.stdout.write(
    options.json ? `${JSON.stringify({ responses, alerts: options.printedAlerts })}\n` : `${formatResponses(responses)}\n`,
  );
  if (failure !== undefined) process.stderr.write(`keystop: ${failure}\n`);
  if (failure !== undefined || responses.some((r) => r.outcome === 'failed')) process.exitCode = 1;
}
