import type { AnsweredIncident } from '../../domain/IncidentResponse';
import type { ActivityReport } from '../activity/ActivityReport';
import { isSummary } from '../activity/isSummary';
import type { AlertDocument } from '../document/AlertDocument';
import { alertDocumentOf, credentialName, SUBJECT_LIMIT } from '../document/alertDocumentOf';
import { sanitize, sanitizeAscii } from '../document/sanitize';
import type { Alert } from './Alert';
import { renderAlertText } from './renderAlertText';

/**
 * Pure: the alert for a response to an incident. The JSON document is the single source: the email text is rendered
 * from it, so both always say the same. `activity` is what the key did, when it is known as the alert goes out.
 */
export function formatAlert(response: AnsweredIncident, activity: ActivityReport | null = null): Alert {
  const document = alertDocumentOf(response, activity);
  return { subject: document.subject, text: renderAlertText(document), document, attributes: attributesOf(response, 'response') };
}

/**
 * Pure: the follow-up alert with what the key did, for when the CloudTrail lookup took longer than the first alert
 * could wait. It repeats who and where, so it stands on its own in a mailbox.
 */
export function formatActivityAlert(response: AnsweredIncident, activity: ActivityReport): Alert {
  const base = alertDocumentOf(response, activity);
  const who = credentialName(response.incident.credential);
  const what = isSummary(activity)
    ? `${activity.eventCount} CloudTrail events${activity.notable.length > 0 ? `, ${activity.notable.length} that matter` : ''}${activity.status === 'partial' ? ' (partial)' : ''}`
    : `lookup ${activity.status}`;
  const brief = isSummary(activity)
    ? `${activity.eventCount} events, ${activity.notable.length} notable${activity.status === 'partial' ? ' (partial)' : ''}`
    : `lookup ${activity.status}`;
  const document: AlertDocument = {
    ...base,
    alertType: 'activity',
    subject: sanitizeAscii(`Keystop ACTIVITY: ${who} in ${response.incident.accountId} - ${brief}`, SUBJECT_LIMIT),
    headline: `Keystop ACTIVITY: what ${who} did, follow-up to the alert about ${sanitize(response.incident.type, 120)} (${response.outcome}): ${what}.`,
  };
  return { subject: document.subject, text: renderAlertText(document), document, attributes: attributesOf(response, 'activity') };
}

/** The SNS message attributes subscription filter policies match on. */
function attributesOf(response: AnsweredIncident, alertType: AlertDocument['alertType']): Record<string, string> {
  const { incident } = response;
  return {
    outcome: response.outcome,
    severity: incident.severityLabel,
    account: incident.accountId,
    source: incident.source,
    credentialKind: incident.credential.kind,
    alertType,
  };
}
