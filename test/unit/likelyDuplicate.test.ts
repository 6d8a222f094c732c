import { describe, expect, it } from 'vitest';
import type { CredentialIncident } from '../../src/domain/CredentialIncident';
import { fromGuardDuty } from '../../src/sources/fromGuardDuty';
import { fromSecurityHub } from '../../src/sources/fromSecurityHub';
import { GuardDutyFindingEvent } from '../../src/sources/GuardDutyFindingEvent';
import { isLaterNotification } from '../../src/sources/isLaterNotification';
import { parseEvent } from '../../src/sources/parseEvent';
import { SecurityHubFindingsEvent } from '../../src/sources/SecurityHubFindingsEvent';
import { recentlyContained } from '../../src/stores/recentlyContained';
import { loadFixture } from '../support/loadFixture';

const incidentOf = (adapted: { kind: string; incidents?: CredentialIncident[] }) => adapted.incidents![0]!;
const guardDuty = (event: unknown) => incidentOf(fromGuardDuty(parseEvent('GuardDuty', GuardDutyFindingEvent, event)));
const securityHub = (event: unknown) => incidentOf(fromSecurityHub(parseEvent('Security Hub', SecurityHubFindingsEvent, event)));

describe("A likely duplicate: GuardDuty's later notifications", () => {
  it('takes a finding updated past its first 5 minutes, with occurrences counted since, for a later notification', () => {
    // The values of a published GuardDuty finding with aggregated repeats (reference-events/SOURCES.md: Palo Alto's
    // 2018 Root recon sample): created 21:28:08, updated 22:14:01, count 54.
    expect(isLaterNotification(54, '2018-02-20T21:28:08.517Z', '2018-02-20T22:14:01.408Z')).toBe(true);
  });

  it("does not take a first notification for a later one, though it counts its first 5 minutes' occurrences", () => {
    expect(isLaterNotification(3, '2026-10-02T08:20:11.004Z', '2026-10-02T08:20:11.004Z')).toBe(false);
    expect(isLaterNotification(7, '2026-10-02T08:20:11.004Z', '2026-10-02T08:24:59.000Z')).toBe(false);
    // The published c7n sample (test/fixtures/real): count 1, never updated.
    expect(isLaterNotification(1, '2017-12-08T15:32:49.862Z', '2017-12-08T15:32:49.862Z')).toBe(false);
  });

  it('takes nothing it cannot read for a later notification', () => {
    expect(isLaterNotification(undefined, '2026-10-02T08:20:11Z', '2026-10-02T10:20:11Z')).toBe(false);
    expect(isLaterNotification(Number.NaN, '2026-10-02T08:20:11Z', '2026-10-02T10:20:11Z')).toBe(false);
    expect(isLaterNotification(9, undefined, '2026-10-02T10:20:11Z')).toBe(false);
    expect(isLaterNotification(9, 'yesterday', '2026-10-02T10:20:11Z')).toBe(false);
  });

  it('takes no count below 2 and no update before creation for a later notification, whatever a forged import says', () => {
    expect(isLaterNotification(-54, '2026-10-02T08:20:11Z', '2026-10-02T10:20:11Z')).toBe(false);
    expect(isLaterNotification(0, '2026-10-02T08:20:11Z', '2026-10-02T10:20:11Z')).toBe(false);
    expect(isLaterNotification(Number('twelve'), '2026-10-02T08:20:11Z', '2026-10-02T10:20:11Z')).toBe(false);
    expect(isLaterNotification(9, '2026-10-02T10:20:11Z', '2026-10-02T08:20:11Z')).toBe(false);
    expect(isLaterNotification(9, '2026-10-02T08:20:11Z', 'not a date')).toBe(false);
  });

  it('marks the incident of a later notification as repeated, from GuardDuty directly and from its copy in Security Hub', () => {
    const first = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    expect(guardDuty(first).repeated).toBeUndefined();
    const later = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    later.detail.service.count = 12;
    later.detail.updatedAt = '2026-10-02T14:20:11.004Z';
    expect(guardDuty(later).repeated).toBe(true);

    const copy = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    expect(securityHub(copy).repeated).toBeUndefined();
    const [finding] = copy.detail.findings;
    finding.ProductFields['aws/guardduty/service/count'] = '12';
    finding.UpdatedAt = '2026-11-24T17:09:55.118Z';
    expect(securityHub(copy).repeated).toBe(true);
  });
});

describe('A likely duplicate: what this container answered as contained', () => {
  const at = (iso: string) => new Date(iso);

  it('recalls a credential until the time it was remembered for, then forgets it', () => {
    const recent = recentlyContained();
    recent.remember('credential#1', at('2026-11-30T12:00:00Z'));
    expect(recent.recalls('credential#1', at('2026-11-30T11:59:59Z'))).toBe(true);
    expect(recent.recalls('credential#2', at('2026-11-30T11:00:00Z'))).toBe(false);
    expect(recent.recalls('credential#1', at('2026-11-30T12:00:00Z'))).toBe(false);
    expect(recent.recalls('credential#1', at('2026-11-30T11:00:00Z'))).toBe(false);
  });

  it('holds a bounded number: the one remembered longest ago goes first, and remembering again makes one new', () => {
    const recent = recentlyContained(2);
    const until = at('2026-11-30T12:00:00Z');
    const now = at('2026-11-30T11:00:00Z');
    recent.remember('a', until);
    recent.remember('b', until);
    recent.remember('a', until);
    recent.remember('c', until);
    expect(['a', 'b', 'c'].filter((key) => recent.recalls(key, now))).toEqual(['a', 'c']);
  });
});
