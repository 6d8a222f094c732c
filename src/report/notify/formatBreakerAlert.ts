import type { BreakerTrip } from '../../domain/BreakerTrip';
import { ALERT_SCHEMA, ALERT_SCHEMA_VERSION } from '../document/alertSchema';
import type { Alert } from './Alert';

/**
 * Pure: the one alert sent when a blast-radius breaker opens: an account's (automatic containment paused there), or
 * the organisation's (paused in every account). It says which limit tripped and across how many accounts.
 */
export function formatBreakerAlert(accountId: string, trip: BreakerTrip, openedAt: Date): Alert {
  const organisation = trip.limit === 'organisation';
  const where = organisation ? `across ${trip.accounts ?? 'several'} accounts of the organisation` : `in account ${accountId}`;
  const subject = organisation
    ? 'Keystop ORGANISATION breaker OPEN: automatic containment paused in every account'
    : `Keystop breaker OPEN in ${accountId}: automatic containment paused`;
  const reset = organisation
    ? 'keystop breaker status; keystop breaker reset --org'
    : `keystop breaker status --account ${accountId}; keystop breaker reset --account ${accountId}`;
  const steps = [
    'Look at the alerts of the last hour: a real attack (many keys leaked at once) or a false positive?',
    'If real: contain what the alerts name by hand (keystop contain --access-key …), then reset the breaker.',
    'If false positives: fix the policy or exemption, re-enable wrongly deactivated keys, then reset.',
    reset,
  ];
  const headline = organisation
    ? `Keystop's organisation-wide blast-radius breaker opened at ${openedAt.toISOString()} (limit: organisation; ${trip.count} credentials ${where}): automatic containment is paused in every account.`
    : trip.shareOf === undefined
      ? `Keystop's blast-radius breaker opened for account ${accountId} at ${openedAt.toISOString()} (limit: account): automatic containment is paused there.`
      : `Keystop's blast-radius breaker opened for account ${accountId} at ${openedAt.toISOString()} (limit: account, capped at its share of the organisation's breaker: ${trip.of ?? trip.count} of ${trip.shareOf}): automatic containment is paused in account ${accountId} only; the other accounts go on.`;
  const counted = `${trip.count} credentials were contained automatically ${where} within the breaker window.`;
  return {
    subject,
    document: {
      schema: ALERT_SCHEMA,
      version: ALERT_SCHEMA_VERSION,
      alertType: 'breaker',
      subject,
      headline,
      incident: null,
      credential: null,
      attacker: {},
      response: { outcome: 'notified', reason: 'breaker-open', explanation: counted, policy: null, actions: [] },
      nextSteps: steps,
      links: {},
      activity: null,
    },
    text: [
      headline,
      '',
      `${counted} That is more than`,
      'a real leak usually produces, and what a bad rule or a flood of false positives looks like, so Keystop has',
      `stopped containing automatically ${organisation ? 'in every account' : 'in this account'}. Every further incident is still alerted, with reason`,
      'breaker-open and the command to contain by hand.',
      '',
      'WHAT TO DO',
      ...steps.map((step, i) => `  ${i + 1}. ${step}`),
    ].join('\n'),
    attributes: {
      outcome: 'breaker-open',
      severity: 'CRITICAL',
      alertType: 'breaker',
      account: accountId,
      source: 'keystop',
      ...(organisation ? { breaker: 'organisation' } : trip.shareOf === undefined ? {} : { breaker: 'account-share' }),
    },
  };
}
