import type { Alert } from './Alert';
import { ALERT_SCHEMA, ALERT_SCHEMA_VERSION, type AlertDocument } from './AlertDocument';
import { renderAlertText } from './renderAlertText';
import { sanitize } from './sanitize';

/** Pure: the alert for a failure that happened before Keystop could report an outcome (no incident is known). */
export function formatFailureAlert(error: string, requestId: string): Alert {
  const document: AlertDocument = {
    schema: ALERT_SCHEMA,
    version: ALERT_SCHEMA_VERSION,
    alertType: 'failure',
    subject: 'Keystop FAILED to handle an event: check its logs now',
    headline:
      'Keystop FAILED while responding to a security event, before it could report an outcome. A compromised credential may not have been contained.',
    incident: null,
    credential: null,
    attacker: {},
    response: {
      outcome: 'failed',
      reason: 'error',
      explanation: `Error: ${sanitize(error, 500)} (request ${sanitize(requestId, 80)})`,
      policy: null,
      actions: [],
    },
    nextSteps: [
      'The event will be retried, then kept in the failure queue (keystop-failed-events).',
      'Read the function logs for this request, and contain the credential by hand if the event names one.',
    ],
    links: {},
    activity: null,
  };
  return {
    subject: document.subject,
    text: renderAlertText(document),
    document,
    attributes: { outcome: 'failed', severity: 'HIGH', alertType: 'failure' },
  };
}
