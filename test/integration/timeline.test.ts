import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { releaseContainment } from '../../src/respond/releaseContainment';
import { attacker, iamChange } from '../support/iamChanges';
import { lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';
import { reportAbout } from '../support/reports';
import { runCli } from '../support/runCli';
import { clockStart, isoAt } from '../support/testClock';

const MINUTE = 60_000;

describe("A credential's story, appended by every use-case and printed by keystop incidents show (emulator)", () => {
  it('weak report, strong report, re-enabled key, the guard, a release: printed in order with time-to-contain', async () => {
    // Prepare: the attacker's first recorded activity ten minutes before the clock's start.
    const start = clockStart();
    const local = await localResponder();
    const { iam, sns, dynamodb } = local.responderClients;
    const harness = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }, start);
    const { userName, leaked } = await userWithTwoKeys(local.clients.iam);
    const key = { userName, accessKeyId: leaked };
    const seen = (event: Record<string, any>, lastMs: number) => {
      Object.assign(event.detail.service, { eventFirstSeen: isoAt(start, -10 * MINUTE), eventLastSeen: isoAt(start, lastMs) });
      return event;
    };

    // Act: a weak report (alert only), a strong one a minute later (contained), the attacker re-enables the key (the
    // guard puts it back), then a responder releases it.
    const weak = await harness.deliver(seen(reportAbout('guardduty-stealth', key, 'weak'), -5 * MINUTE));
    harness.clock.advance(MINUTE);
    const strong = await harness.deliver(seen(reportAbout('guardduty-tor', key, 'strong'), 30_000));
    harness.clock.advance(MINUTE);
    await local.clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: leaked, Status: 'Active' }));
    const change = iamChange('UpdateAccessKey', { userName, accessKeyId: leaked, status: 'Active' }, attacker, 're-enable');
    change.detail.eventTime = isoAt(start, 110_000);
    const guarded = await harness.deliver(change);
    harness.clock.advance(MINUTE);
    const [released] = await releaseContainment(
      { accessKeyId: leaked },
      { accountId: LOCAL_ACCOUNT_ID, by: 'arn:aws:iam::123456789012:user/oncall', reason: 'false positive: CI runner egress' },
      { ...harness.deps, state: harness.deps.state! },
    );
    const text = (await runCli(['incidents', 'show', leaked, '--table', local.tableName], local.endpoint)).stdout;
    const json = JSON.parse((await runCli(['incidents', 'show', leaked, '--table', local.tableName, '--json'], local.endpoint)).stdout);

    // Assess: the responses, then the story: each step in order, and eleven minutes from the first activity to the cut-off
    expect([weak, strong, guarded].map((d) => d.responses.map((r) => `${r.outcome}/${r.reason}`))).toEqual([
      ['notified/notify-only-policy'],
      ['contained/escalated'],
      ['contained/tampered'],
    ]);
    expect(released).toMatchObject({ outcome: 'notified', reason: 'released' });
    expect((await keyStatuses(local.clients.iam, userName))[leaked]).toBe('Active');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(`credential#${LOCAL_ACCOUNT_ID}#${leaked}`);
    const order = [
      /report +guardduty reported Stealth:IAMUser\/CloudTrailLoggingDisabled/,
      /decision +notified \(notify-only-policy\)/,
      /report +guardduty reported UnauthorizedAccess:IAMUser\/TorIPCaller/,
      /decision +contained \(escalated\)/,
      new RegExp(`action +deactivate-access-key ${leaked}: done`),
      new RegExp(
        `guard +the guard saw: access key ${leaked} was re-enabled by arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/mallory from 198.51.100.23`,
      ),
      /decision +contained \(tampered\)/,
      /human +released by a responder: /,
    ];
    const at = order.map((pattern) => lines.findIndex((line) => pattern.test(line)));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(lines.at(-1)).toBe('contained 11 min after the first recorded activity');
    expect(json).toMatchObject({ key: `credential#${LOCAL_ACCOUNT_ID}#${leaked}`, timeToContainMs: 11 * MINUTE });
    expect(json.entries.filter((e: { kind: string }) => e.kind === 'alert').length).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
