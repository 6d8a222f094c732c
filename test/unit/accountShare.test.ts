import { describe, expect, it } from 'vitest';
import { formatBreakerAlert } from '../../src/report/notify/formatBreakerAlert';
import { accountShare } from '../../src/stores/dynamoBreaker';
import { clockStart } from '../support/testClock';

describe("An account's share of the organisation's breaker", () => {
  it('is at most a third of the organisation limit less one, so that three accounts leave a slot for a fourth', () => {
    expect(accountShare(10, 25)).toBe(8);
    expect(3 * accountShare(10, 25)).toBeLessThan(25);
    expect(accountShare(10, 100)).toBe(10);
    expect(accountShare(5, 31)).toBe(5);
    expect(accountShare(10, 31)).toBe(10);
    expect(accountShare(10, 4)).toBe(1);
    expect(accountShare(10, 1)).toBe(1);
  });

  it("the alert of an account capped at its share names the account, the share and the organisation's limit", () => {
    const alert = formatBreakerAlert('222200000021', { limit: 'account', count: 8, shareOf: 25, of: 8 }, new Date(clockStart()));

    expect(alert.subject).toBe('Keystop breaker OPEN in 222200000021: automatic containment paused');
    expect(alert.text).toContain("(limit: account, capped at its share of the organisation's breaker: 8 of 25)");
    expect(alert.text).toContain('automatic containment is paused in account 222200000021 only; the other accounts go on');
    expect(alert.attributes).toMatchObject({ account: '222200000021', breaker: 'account-share', alertType: 'breaker' });
  });

  it('the alert of an account at its own limit says nothing of a share', () => {
    const alert = formatBreakerAlert('222200000021', { limit: 'account', count: 10 }, new Date(clockStart()));

    expect(alert.text).toContain('(limit: account): automatic containment is paused there.');
    expect(alert.attributes.breaker).toBeUndefined();
  });
});
