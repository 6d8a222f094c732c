import { ALERT_SCHEMA, ALERT_SCHEMA_VERSION } from '../document/alertSchema';
import type { Alert } from './Alert';

/** Pure: the one alert sent when an account's blast-radius breaker opens. */
export function formatBreakerAlert(accountId: string, count: number, openedAt: Date): Alert {
  const subject = `Keystop breaker OPEN in ${accountId}: automatic containment paused`;
  const steps = [
    'Look at the alerts of the last hour: a real attack (many keys leaked at once) or a false positive?',
    'If real: contain what the alerts name by hand (keystop contain --access-key …), then reset the breaker.',
    'If false positives: fix the policy or exemption, re-enable wrongly deactivated keys, then reset.',
    `keystop breaker status --account ${accountId}; keystop breaker reset --account ${accountId}`,
  ];
  return {
    subject,
    document: {
      schema: ALERT_SCHEMA,
      version: ALERT_SCHEMA_VERSION,
      alertType: 'breaker',
      subject,
      headline: `Keystop's blast-radius breaker opened for account ${accountId} at ${openedAt.toISOString()}: automatic containment is paused there.`,
      incident: null,
      credential: null,
      attacker: {},
      response: {
        outcome: 'notified',
        reason: 'breaker-open',
        explanation: `${count} credentials were contained automatically in account ${accountId} within the breaker window.`,
        policy: null,
        actions: [],
      },
      nextSteps: steps,
      links: {},
      activity: null,
    },
    text: [
      `Keystop's blast-radius breaker opened for account ${accountId} at ${openedAt.toISOString()}.`,
      '',
      `${count} credentials were contained automatically in this account within the breaker window. That is more than`,
      'a real leak usually produces, and what a bad rule or a flood of false positives looks like, so Keystop has',
      'stopped containing automatically in this account. Every further incident is still alerted, with reason',
      'breaker-open and the command to contain by hand.',
      '',
      'WHAT TO DO',
      ...steps.map((step, i) => `  ${i + 1}. ${step}`),
    ].join('\n'),
    attributes: { outcome: 'breaker-open', severity: 'CRITICAL', alertType: 'breaker', account: accountId, source: 'keystop' },
  };
}
