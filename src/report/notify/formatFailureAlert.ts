import type { AlertDocument } from '../document/AlertDocument';
import { ALERT_SCHEMA, ALERT_SCHEMA_VERSION } from '../document/alertSchema';
import { sanitize, sanitizeAscii } from '../document/sanitize';
import type { Alert } from './Alert';
import { renderAlertText } from './renderAlertText';

/** A failure before any incident is known: the document every failure alert shares, and its attributes. */
function failureAlert(
  parts: Pick<AlertDocument, 'subject' | 'headline' | 'nextSteps'> & { reason: string; explanation: string },
  attributes: Record<string, string> = {},
): Alert {
  const document: AlertDocument = {
    schema: ALERT_SCHEMA,
    version: ALERT_SCHEMA_VERSION,
    alertType: 'failure',
    subject: parts.subject,
    headline: parts.headline,
    incident: null,
    credential: null,
    attacker: {},
    response: { outcome: 'failed', reason: parts.reason, explanation: parts.explanation, policy: null, actions: [] },
    nextSteps: parts.nextSteps,
    links: {},
    activity: null,
  };
  return {
    subject: document.subject,
    text: renderAlertText(document),
    document,
    attributes: { outcome: 'failed', severity: 'HIGH', ...attributes, alertType: 'failure' },
  };
}

/** Pure: the alert for a failure that happened before Keystop could report an outcome (no incident is known). */
export function formatFailureAlert(error: string, requestId: string): Alert {
  return failureAlert({
    subject: 'Keystop FAILED to handle an event: check its logs now',
    headline:
      'Keystop FAILED while responding to a security event, before it could report an outcome. A compromised credential may not have been contained.',
    reason: 'error',
    explanation: `Error: ${sanitize(error, 500)} (request ${sanitize(requestId, 80)})`,
    nextSteps: [
      'The event will be retried, then kept in the failure queue (keystop-failed-events).',
      'Read the function logs for this request, and contain the credential by hand if the event names one.',
    ],
  });
}

/**
 * Pure: the alert for an event AWS sent (source aws.*) in a shape Keystop does not understand. It may be a compromise
 * report nobody acted on: a human must read it from the failure queue. The problems name the fields, never values.
 */
export function formatMalformedEventAlert(source: string, problems: string, requestId: string): Alert {
  return failureAlert(
    {
      subject: sanitizeAscii(`Keystop FAILED: an event from ${source} it could not read - check the failure queue`, 100),
      headline: `Keystop FAILED to read an event from ${sanitize(source, 60)}: it did not act on it. It may report a compromised credential: read it now.`,
      reason: 'malformed-event',
      explanation: `The event does not have the shape Keystop expects: ${sanitize(problems, 400)} (request ${sanitize(requestId, 80)})`,
      nextSteps: [
        'The event is retried, then kept intact in the failure queue (keystop-failed-events): read it there.',
        'If it names a credential, contain it by hand (keystop contain --access-key <id>), or fix the event and run keystop replay on it.',
      ],
    },
    { source: sanitizeAscii(source, 60) },
  );
}
