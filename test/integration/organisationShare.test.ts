import type { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { settingDefault } from '../../src/aws/Config';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { ORGANISATION } from '../../src/stores/StateStore';
import { lambdaContext } from '../support/lambdaContext';
import { keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';
import { memberAccountIam } from '../support/memberAccountIam';
import { reportAbout } from '../support/reports';
import { runCli } from '../support/runCli';

/** Three member accounts the attacker floods, and a fourth where the leaked key it came for is. */
const FLOODED = ['222200000021', '222200000022', '222200000023'];
const TARGET = '222200000024';
const MEMBERS = [...FLOODED, TARGET];
/** The default limits (asserted below): 10 per account, 25 across the organisation; an account's share is 8. */
const BREAKER_LIMIT = 10;
const ORG_LIMIT = 25;
const memberRole = { name: 'KeystopMember', externalId: 'keystop-test-external-id' };

function finding(accountId: string, userName: string, accessKeyId: string, id: string) {
  const event = reportAbout('guardduty-tor', { userName, accessKeyId }, id);
  event.detail.accountId = accountId;
  return event;
}

describe("An account's share of the organisation's breaker: three flooded accounts cannot hold containment everywhere (emulated member accounts)", () => {
  it("three accounts reporting 10 principals each are capped at 8 each, one alert naming each capped account, and a fourth account's leaked key is still contained", async () => {
    // Prepare: 10 users with a key in each flooded account, one in the target account, under the default limits.
    expect([settingDefault('KEYSTOP_BREAKER_LIMIT'), settingDefault('KEYSTOP_ORG_BREAKER_LIMIT')]).toEqual([BREAKER_LIMIT, ORG_LIMIT]);
    const local = await localResponder({
      memberRole,
      guardrails: { accounts: { own: LOCAL_ACCOUNT_ID, members: MEMBERS } },
      state: { breakerLimit: BREAKER_LIMIT, organisationLimit: ORG_LIMIT },
    });
    const flood: { accountId: string; iam: IAMClient; userName: string; leaked: string; decoy: string }[] = [];
    for (const accountId of FLOODED) {
      const iam = await memberAccountIam(accountId, local.endpoint, local.clients.sts);
      for (let i = 0; i < BREAKER_LIMIT; i++) flood.push({ accountId, iam, ...(await userWithTwoKeys(iam)) });
    }
    const targetIam = await memberAccountIam(TARGET, local.endpoint, local.clients.sts);
    const target = await userWithTwoKeys(targetIam);
    const handler = makeHandler(guardDutySource, local.deps);
    await local.sink.drain();

    // Act: the flood, then the report about the key the attacker came for
    const responses: IncidentResponse[] = [];
    for (const [i, f] of flood.entries()) {
      responses.push(...(await handler(finding(f.accountId, f.userName, f.leaked, `flood-${i}`), lambdaContext())));
    }
    const [targetResponse] = await handler(finding(TARGET, target.userName, target.leaked, 'target'), lambdaContext());
    const alerts = await local.sink.drain();
    const cli = ['--table', local.tableName, '--account', FLOODED[0]!, '--org-limit', String(ORG_LIMIT), '--limit', String(BREAKER_LIMIT)];
    const status = await runCli(['breaker', 'status', ...cli], {
      endpoint: local.endpoint,
      env: { KEYSTOP_MEMBER_ACCOUNTS: MEMBERS.join(',') },
    });
    const org = await local.deps.state!.breakerStatus(ORGANISATION, local.deps.now());

    // Assess: the target's key is contained (IAM state), 8 contained and 2 held in each flooded account
    expect(targetResponse).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect(await keyStatuses(targetIam, target.userName)).toEqual({ [target.leaked]: 'Inactive', [target.decoy]: 'Active' });
    for (const accountId of FLOODED) {
      const outcomes = responses.filter((r) => r.incident?.accountId === accountId).map((r) => `${r.outcome}/${r.reason}`);
      expect(outcomes, accountId).toEqual([...Array(8).fill('contained/matched'), 'notified/breaker-open', 'notified/breaker-open']);
    }
    const held = responses.find((r) => r.reason === 'breaker-open')!;
    expect(held.explanation).toContain("its limit, 8, is this account's share of the organisation's 25");
    const statuses = await Promise.all(flood.map((f) => keyStatuses(f.iam, f.userName)));
    expect(statuses.filter((s, i) => s[flood[i]!.leaked] === 'Inactive')).toHaveLength(24);
    expect(statuses.every((s, i) => s[flood[i]!.decoy] === 'Active')).toBe(true);
    // One alert per capped account, naming it and the share; the organisation's breaker never opened.
    const breakerAlerts = alerts.filter((a) => a.attributes.alertType === 'breaker');
    expect(breakerAlerts.map((a) => a.attributes.account).sort()).toEqual(FLOODED);
    for (const alert of breakerAlerts) {
      expect(alert.subject).toBe(`Keystop breaker OPEN in ${alert.attributes.account}: automatic containment paused`);
      expect(alert.attributes.breaker).toBe('account-share');
      expect(alert.text).toContain(`opened for account ${alert.attributes.account} at ${local.deps.now().toISOString().slice(0, 10)}`);
      expect(alert.text).toContain("(limit: account, capped at its share of the organisation's breaker: 8 of 25)");
      expect(alert.text).toContain(`automatic containment is paused in account ${alert.attributes.account} only`);
    }
    expect(org).toMatchObject({ count: 25, accounts: 4 });
    expect(status.stdout).toMatch(
      new RegExp(
        `breaker of account ${FLOODED[0]}: OPEN since .*; 8 of 8 automatic containments .*\\(breakerLimit 10, capped at this account's share of the organisation's 25\\)`,
      ),
    );
  }, 180_000);
});
