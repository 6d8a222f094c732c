import { describe, expect, it } from 'vitest';
import type { CredentialRecord, ResponseLevel, StoredResponse } from '../../src/decide/CredentialRecord';
import { holdTransition, nextResponse, repeatsReleased } from '../../src/decide/nextResponse';
import { holdForBreaker, type ResponsePlan } from '../../src/decide/planResponse';
import { protectionFor } from '../../src/decide/protectionFor';
import type { CredentialIncident } from '../../src/domain/CredentialIncident';
import { credentials, incidentAbout } from '../support/incidents';

const contain: ResponsePlan = {
  policy: 'guardduty-key-used-by-attacker',
  reason: 'matched',
  explanation: 'a key used by an attacker is contained',
  execute: true,
  steps: [{ type: 'deactivate-access-key' }],
  inapplicable: [],
  bypassBreaker: false,
};

const findingArn = 'arn:aws:securityhub:eu-west-1:111122223333:finding/0001';
const answered = incidentAbout(credentials['long-term-key'], {
  source: 'security-hub',
  id: `security-hub:111122223333:${findingArn}`,
  origin: { findingId: findingArn, findingArn, eventId: 'event-1' },
});
const echo = { ...answered, origin: { ...answered.origin, eventId: 'event-2' } };
const last = (incident: CredentialIncident, more: Partial<StoredResponse> = {}): StoredResponse => ({
  outcome: 'notified',
  reason: 'notify-only-policy',
  explanation: 'alert only',
  actions: [],
  incident,
  at: '2026-10-02T08:17:00Z',
  ...more,
});
const record = (achieved: ResponseLevel, more: Partial<CredentialRecord> = {}): CredentialRecord => ({
  schemaVersion: 1,
  key: 'credential#111122223333#AKIAEXAMPLELEAKED001',
  accountId: '111122223333',
  achieved,
  alerted: achieved,
  held: false,
  firstSeenAt: '2026-10-02T08:17:00Z',
  updatedAt: '2026-10-02T08:17:00Z',
  ...more,
});

describe('A Security Hub echo of a finding Keystop answered', () => {
  it('is a duplicate, even when it calls for containment after an alert-only answer: it brings no new evidence', () => {
    expect(nextResponse(record('alerted', { last: last(answered) }), contain, { keyStatus: 'Active' }, { incident: echo })).toEqual({
      kind: 'duplicate',
      reason: 'duplicate-report',
      explanation: `Security Hub re-sent a finding Keystop already answered (incident ${answered.id}, notified), unchanged by its provider`,
    });
  });

  it('is still news when the key Keystop contained is Active again', () => {
    const contained = record('contained', { last: last(answered, { outcome: 'contained', reason: 'matched' }) });

    expect(nextResponse(contained, contain, { keyStatus: 'Active' }, { incident: echo })).toMatchObject({
      kind: 'act',
      reason: 'key-re-enabled',
    });
    expect(nextResponse(contained, contain, { keyStatus: 'Inactive' }, { incident: echo })).toMatchObject({
      kind: 'duplicate',
      explanation: expect.stringMatching(/^Security Hub re-sent a finding Keystop already answered/),
    });
  });

  it('is not an echo when the provider updated the finding: the report is decided afresh', () => {
    const updated = { ...echo, observedAt: '2026-10-02T09:00:00Z' };

    expect(
      nextResponse(record('alerted', { last: last(answered) }), contain, { keyStatus: 'Active' }, { incident: updated }),
    ).toMatchObject({
      kind: 'act',
      reason: 'escalated',
    });
  });
});

describe('An approval Keystop did not ask for', () => {
  const approved = { ...answered, id: 'approved:111122223333:other' };

  it('is refused, alerted, and changes nothing', () => {
    const before = record('alerted', { last: last(answered, { reason: 'exempt-principal' }) });

    expect(nextResponse(before, contain, { keyStatus: 'Active' }, { approval: true, incident: approved })).toEqual({
      kind: 'report',
      level: 'alerted',
      outcome: 'notified',
      reason: 'approval-refused',
      explanation: `Keystop did not ask anyone to approve containing incident approved:111122223333:other (incident ${answered.id}, notified): the approval is refused and nothing changed; contain it by hand if it must be`,
      tell: true,
    });
  });

  it('says the breaker holds it when it does: an approval does not override the breaker', () => {
    const held = record('alerted', { held: true, last: last(answered, { reason: 'breaker-open' }) });

    expect(nextResponse(held, contain, {}, { approval: true, incident: answered })).toMatchObject({
      reason: 'approval-refused',
      explanation: `incident ${answered.id} is held by the open blast-radius breaker (incident ${answered.id}, notified): an approval does not override the breaker, so nothing changed; once an operator has checked the storm, \`keystop breaker reset --contain-held\` contains every held credential`,
    });
  });

  it('names no incident it was not given, and no earlier one where there is none', () => {
    expect(nextResponse(undefined, contain, {}, { approval: true })).toMatchObject({
      reason: 'approval-refused',
      explanation:
        'Keystop did not ask anyone to approve containing incident (unknown): the approval is refused and nothing changed; contain it by hand if it must be',
    });
    expect(nextResponse(record('alerted', { held: true }), contain, {}, { approval: true })).toMatchObject({
      reason: 'approval-refused',
      explanation: expect.stringMatching(/^incident \(unknown\) is held by the open blast-radius breaker: an approval/),
    });
  });

  it('acts on the approval Keystop asked for: its latest alert-only response', () => {
    expect(
      nextResponse(record('alerted', { last: last(answered) }), contain, { keyStatus: 'Active' }, { approval: true, incident: answered }),
    ).toMatchObject({
      kind: 'act',
      reason: 'escalated',
    });
  });

  it('does not refuse an approval of a credential already contained: there is nothing to approve', () => {
    const contained = record('contained', { last: last(answered, { outcome: 'contained', reason: 'matched' }) });

    expect(nextResponse(contained, contain, { keyStatus: 'Inactive' }, { approval: true, incident: approved })).toMatchObject({
      kind: 'duplicate',
    });
  });

  it('answers an approval the breaker still holds, without counting it', () => {
    const held = record('alerted', { held: true });

    expect(holdTransition(held, contain, true)).toEqual({
      kind: 'report',
      level: 'none',
      outcome: 'notified',
      reason: 'still-held',
      explanation:
        "approved, but still held by the open blast-radius breaker: `keystop breaker reset --contain-held` contains it (an operator's decision, not counted). a key used by an attacker is contained",
      tell: true,
    });
    const quiet = holdTransition(held, contain, false);
    expect(quiet).toMatchObject({
      reason: 'still-held',
      explanation: expect.stringMatching(/^still held by the open blast-radius breaker; responders were told/),
    });
    expect(quiet).not.toHaveProperty('tell');
  });
});

describe('A report about a finding a responder released', () => {
  const guardduty = incidentAbout(credentials['long-term-key']);
  const released = { by: 'arn:aws:iam::111122223333:user/responder', reason: 'false positive', at: '2026-10-02T09:00:00Z' };
  const releasedRecord = (more: Partial<CredentialRecord> = {}) =>
    record('none', { released, last: last(guardduty, { outcome: 'contained', reason: 'released' }), ...more });

  it('repeats its evidence when it is the same finding observed no later: the release stands', () => {
    expect(repeatsReleased(releasedRecord(), guardduty)).toBe(
      `${guardduty.id} was released by ${released.by} on ${released.at} (false positive); this report observed nothing later (${guardduty.observedAt}): no new evidence, not contained again`,
    );
    expect(repeatsReleased(releasedRecord(), { ...guardduty, observedAt: '2026-10-02T08:00:00Z' })).toBeDefined();
  });

  it('finds the released finding as the held demand too, with or without a last response', () => {
    expect(repeatsReleased(record('none', { released, demand: guardduty }), guardduty)).toMatch(/was released by/);
    const other = incidentAbout(credentials['long-term-key'], { id: 'guardduty:111122223333:other' });

    expect(repeatsReleased(releasedRecord({ last: last(other), demand: guardduty }), guardduty)).toMatch(/was released by/);
  });

  it('is new evidence when observed later, when it is another finding, or when nothing was released', () => {
    expect(repeatsReleased(releasedRecord(), { ...guardduty, observedAt: '2026-10-02T08:16:46Z' })).toBeUndefined();
    expect(repeatsReleased(releasedRecord(), { ...guardduty, id: 'guardduty:111122223333:other' })).toBeUndefined();
    expect(repeatsReleased(record('contained', { last: last(guardduty) }), guardduty)).toBeUndefined();
    expect(repeatsReleased(undefined, guardduty)).toBeUndefined();
  });

  it('is new evidence when GuardDuty notifies again of a finding released on its first notification, not its Security Hub copy', () => {
    expect(repeatsReleased(releasedRecord(), { ...guardduty, repeated: true })).toBeUndefined();
    expect(repeatsReleased(releasedRecord(), { ...guardduty, source: 'security-hub', repeated: true })).toMatch(/was released by/);
    const releasedOnRepeat = releasedRecord({ last: last({ ...guardduty, repeated: true }) });
    expect(repeatsReleased(releasedOnRepeat, { ...guardduty, repeated: true })).toMatch(/was released by/);
  });
});

describe("The organisation's breaker", () => {
  it('holds the plan in every account and says which breaker to reset', () => {
    expect(holdForBreaker(contain, { limit: 'organisation', count: 12, accounts: 4 })).toEqual({
      ...contain,
      reason: 'breaker-open',
      execute: false,
      explanation:
        "the organisation's blast-radius breaker is open: 12 automatic containments across 4 accounts within the window, so Keystop only alerts, in every account, until an operator checks and runs `keystop breaker reset --org` (or the window passes)",
    });
    expect(holdForBreaker(contain, { limit: 'organisation', count: 12 }).explanation).toContain('across several accounts');
    expect(holdForBreaker(contain, { limit: 'account', count: 3 }).explanation).toBe(
      'the blast-radius breaker is open: 3 automatic containments in this account within the window, so Keystop only alerts until an operator checks and runs `keystop breaker reset` (or the window passes)',
    );
  });
});

describe("Keystop's own roles, where the deployment does not say them", () => {
  const session = (accountId: string) => incidentAbout({ ...credentials['role-session'], roleName: 'keystop-member' }, { accountId });

  it('protects no role by the member role name when Keystop does not know its own account (policies explain)', () => {
    expect(
      protectionFor(session('444455556666'), { ownRoles: { functionRoleNames: [], memberRoleName: 'keystop-member' } }),
    ).toBeUndefined();
  });

  it('protects nothing by name without its own roles configured, in its own account or a member', () => {
    const accounts = { own: '111122223333', members: ['*'] };

    expect(protectionFor(session('444455556666'), { accounts })).toBeUndefined();
    expect(protectionFor(session('111122223333'), { accounts })).toBeUndefined();
  });
});
