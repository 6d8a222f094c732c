import type { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { containHeld } from '../../src/respond/containHeld';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { ORGANISATION } from '../../src/stores/StateStore';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';
import { memberAccountIam } from '../support/memberAccountIam';
import { runCli } from '../support/runCli';

/** Five member accounts; the organisation's breaker admits three principals, each account's breaker ten. */
const MEMBERS = ['222200000001', '222200000002', '222200000003', '222200000004', '222200000005'];
const ORG_LIMIT = 3;
const memberRole = { name: 'KeystopMember', externalId: 'keystop-test-external-id' };

function memberFinding(accountId: string, userName: string, accessKeyId: string, id: string) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.account = LOCAL_ACCOUNT_ID;
  event.id = id;
  event.detail.id = id;
  event.detail.accountId = accountId;
  Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId });
  return event;
}

describe("The organisation's breaker: a storm across member accounts stops at one limit (emulated member accounts)", () => {
  it('contains up to the organisation limit, holds the rest with one alert naming the limit and the accounts, and --contain-held contains them after the reset', async () => {
    // Prepare: one leaked key in each of five member accounts, reported one after another (a shared threat list).
    const local = await localResponder({
      memberRole,
      guardrails: { accounts: { own: LOCAL_ACCOUNT_ID, members: MEMBERS } },
      state: { breakerLimit: 10, organisationLimit: ORG_LIMIT },
    });
    const members: { accountId: string; iam: IAMClient; userName: string; leaked: string; decoy: string }[] = [];
    for (const accountId of MEMBERS) {
      const iam = await memberAccountIam(accountId, local.endpoint, local.clients.sts);
      members.push({ accountId, iam, ...(await userWithTwoKeys(iam)) });
    }
    const handler = makeHandler(guardDutySource, local.deps);

    // Act: the storm
    const responses: IncidentResponse[] = [];
    for (const [i, m] of members.entries()) {
      responses.push(...(await handler(memberFinding(m.accountId, m.userName, m.leaked, `storm-${i}`), lambdaContext())));
    }
    const stormAlerts = await local.sink.drain();
    const cli = ['--table', local.tableName, '--account', LOCAL_ACCOUNT_ID, '--org-limit', String(ORG_LIMIT)];
    const status = await runCli(['breaker', 'status', ...cli], local.endpoint);
    const statusJson = JSON.parse((await runCli(['breaker', 'status', ...cli, '--json'], local.endpoint)).stdout);
    await runCli(['breaker', 'reset', '--org', ...cli], local.endpoint);
    const afterReset = await local.deps.state!.breakerStatus(ORGANISATION, local.deps.now());
    const contained = await containHeld(ORGANISATION, { ...local.deps, state: local.deps.state! });

    // Assess: three contained, two held (the organisation's limit, not the accounts'), one breaker alert
    expect(responses.map((r) => `${r.outcome}/${r.reason}`)).toEqual([
      'contained/matched',
      'contained/matched',
      'contained/matched',
      'notified/breaker-open',
      'notified/breaker-open',
    ]);
    expect(responses[3]!.explanation).toContain(
      "the organisation's blast-radius breaker is open: 3 automatic containments across 3 accounts",
    );
    const breakerAlerts = stormAlerts.filter((a) => a.attributes.outcome === 'breaker-open');
    expect(breakerAlerts).toHaveLength(1);
    expect(breakerAlerts[0]!.subject).toBe('Keystop ORGANISATION breaker OPEN: automatic containment paused in every account');
    expect(breakerAlerts[0]!.attributes).toMatchObject({ breaker: 'organisation', alertType: 'breaker' });
    expect(breakerAlerts[0]!.text).toContain('limit: organisation; 3 credentials across 3 accounts of the organisation');
    expect(breakerAlerts[0]!.text).toContain('keystop breaker reset --org');
    const held = stormAlerts.filter((a) => a.attributes.outcome === 'notified');
    expect(held).toHaveLength(2);
    expect(held[0]!.text).toContain("was NOT contained: the organisation's blast-radius breaker is open");
    expect(held[0]!.document.nextSteps[0]).toContain('keystop breaker reset --org --contain-held');
    expect(status.stdout).toMatch(/breaker of account 123456789012: closed; 0 of 10/);
    expect(status.stdout).toMatch(
      /breaker of the organisation \(with member accounts\): OPEN since .*; 3 of 3 automatic containments across 3 accounts/,
    );
    expect(statusJson.organisation).toMatchObject({ open: true, count: 3, limit: 3, accounts: 3 });
    expect(afterReset).toMatchObject({ count: 0, open: false });
    expect(contained.map((r) => [r.incident?.accountId, r.outcome]).sort()).toEqual([
      [MEMBERS[3], 'contained'],
      [MEMBERS[4], 'contained'],
    ]);
    for (const m of members) {
      expect(await keyStatuses(m.iam, m.userName), m.accountId).toEqual({ [m.leaked]: 'Inactive', [m.decoy]: 'Active' });
    }
    // The held ones were contained with the operator's decision: not counted again.
    expect((await local.deps.state!.breakerStatus(ORGANISATION, local.deps.now())).count).toBe(0);
  }, 60_000);

  it('in one account (no member accounts) there is no organisation breaker: the account limit alone decides', async () => {
    const local = await localResponder({ state: { breakerLimit: 10, organisationLimit: undefined } });
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await userWithTwoKeys(local.clients.iam));
    const handler = makeHandler(guardDutySource, local.deps);

    const responses: IncidentResponse[] = [];
    for (const [i, u] of users.entries()) {
      responses.push(...(await handler(memberFinding(LOCAL_ACCOUNT_ID, u.userName, u.leaked, `one-${i}`), lambdaContext())));
    }

    expect(responses.map((r) => r.outcome)).toEqual(['contained', 'contained', 'contained', 'contained']);
    expect((await local.deps.state!.breakerStatus(ORGANISATION, local.deps.now())).count).toBe(0);
    expect(local.deps.state!.breakersOf({ accountId: LOCAL_ACCOUNT_ID, principal: 'user/x' })).toHaveLength(1);
  }, 60_000);
});
