import type { SeverityLabel } from '../../domain/CredentialIncident';
import type { AlarmStateChangeEvent } from '../../sources/AlarmStateChangeEvent';
import type { AlertDocument } from '../document/AlertDocument';
import { ALERT_SCHEMA, ALERT_SCHEMA_VERSION } from '../document/alertSchema';
import { sanitize, sanitizeAscii } from '../document/sanitize';
import type { Alert } from './Alert';
import { renderAlertText } from './renderAlertText';

/**
 * How urgent each alarm is, by the name it has after `keystop-<stage>-` (serverless.yml; a packaging test keeps
 * the two in step). A credential left active, or Keystop standing still in an account, is critical; the rest is high.
 */
export const alarmSeverities: Record<string, SeverityLabel> = {
  'containment-failed': 'CRITICAL',
  'breaker-opened': 'CRITICAL',
  'failed-events': 'HIGH',
  'failed-events-age': 'HIGH',
  'function-errors': 'HIGH',
  throttles: 'HIGH',
  'forensics-failing': 'MEDIUM',
};

/**
 * Pure: the alert for one of Keystop's alarms changing state, with the same filterable attributes as every other
 * alert (`outcome`, `severity`, `alertType`, `account`, `source`). An alarm going off is `outcome=failed`; one that
 * recovers from ALARM is `outcome=resolved`, severity LOW. Other transitions (a new alarm settling into OK, missing
 * data) tell nobody anything: undefined.
 */
export function formatAlarmAlert(event: AlarmStateChangeEvent): Alert | undefined {
  const { alarmName, state, previousState, configuration } = event.detail;
  const firing = state.value === 'ALARM';
  const resolved = state.value === 'OK' && previousState?.value === 'ALARM';
  if (!firing && !resolved) return undefined;
  const name = sanitize(alarmName, 255);
  const severity: SeverityLabel = resolved ? 'LOW' : severityOf(alarmName);
  const subject = sanitizeAscii(firing ? `Keystop ALARM: ${alarmName}` : `Keystop alarm resolved: ${alarmName}`, 100);
  const description = configuration?.description ? sanitize(configuration.description, 1000) : undefined;
  const document: AlertDocument = {
    schema: ALERT_SCHEMA,
    version: ALERT_SCHEMA_VERSION,
    alertType: 'alarm',
    subject,
    headline: firing
      ? `Keystop alarm ${name} went off in account ${event.account} (${event.region}) at ${sanitize(state.timestamp ?? event.time, 40)}${description ? `: ${description}` : '.'}`
      : `Keystop alarm ${name} is back to OK in account ${event.account} (${event.region}).`,
    incident: null,
    credential: null,
    attacker: {},
    response: {
      outcome: firing ? 'failed' : 'notified',
      reason: firing ? 'alarm' : 'alarm-resolved',
      explanation: sanitize(state.reason, 1000),
      policy: null,
      actions: [],
    },
    nextSteps: firing
      ? [
          ...(description ? [description] : []),
          `Open the Keystop dashboard (CloudWatch > Dashboards > keystop-<stage>) and the alarm ${name} to see what changed.`,
          'docs/operations.md says what each alarm means and what to do.',
        ]
      : [],
    links: {},
    activity: null,
  };
  return {
    subject,
    text: renderAlertText(document),
    document,
    attributes: { outcome: resolved ? 'resolved' : 'failed', severity, alertType: 'alarm', account: event.account, source: 'keystop' },
  };
}

/** By the longest known name the alarm's ends with; an alarm missing from the table still pages: HIGH. */
function severityOf(alarmName: string): SeverityLabel {
  const known = Object.keys(alarmSeverities)
    .sort((a, b) => b.length - a.length)
    .find((key) => alarmName.endsWith(`-${key}`));
  return known ? alarmSeverities[known]! : 'HIGH';
}
