import type { Alert } from './Alert';

/** Pure: the one alert sent when an account's blast-radius breaker opens. */
export function formatBreakerAlert(accountId: string, count: number, openedAt: Date): Alert {
  return {
    subject: `Keystop breaker OPEN in ${accountId}: automatic containment paused`,
    text: [
      `Keystop's blast-radius breaker opened for account ${accountId} at ${openedAt.toISOString()}.`,
      '',
      `${count} credentials were contained automatically in this account within the breaker window. That is more than`,
      'a real leak usually produces, and what a bad rule or a flood of false positives looks like, so Keystop has',
      'stopped containing automatically in this account. Every further incident is still alerted, with reason',
      'breaker-open and the command to contain by hand.',
      '',
      'WHAT TO DO',
      '  1. Look at the alerts of the last hour: a real attack (many keys leaked at once) or a false positive?',
      '  2. If real: contain what the alerts name by hand (keystop contain --access-key …), then reset the breaker.',
      '  3. If false positives: fix the policy or exemption, re-enable wrongly deactivated keys, then reset.',
      `  4. keystop breaker status --account ${accountId}; keystop breaker reset --account ${accountId}`,
    ].join('\n'),
    attributes: { outcome: 'breaker-open', severity: 'CRITICAL', account: accountId, source: 'keystop' },
  };
}
