import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { approveIncident } from '../../src/respond/approveIncident';
import { releaseContainment } from '../../src/respond/releaseContainment';
import { lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { reportAbout } from '../support/reports';

const RESPONDER = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/oncall`;

async function setUp(options: Parameters<typeof localResponder>[0] = {}) {
  const local = await localResponder(options);
  const { iam, sns, dynamodb } = local.responderClients;
  const harness = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb });
  // A release or an approval on the harness's clock (what a responder runs between two deliveries).
  const stateful = () => ({ ...local.deps, now: () => new Date(harness.clock.now()), state: local.deps.state! });
  return { ...local, ...harness, stateful };
}

describe("Issue 26's gaps in the guard, release and hold paths, held as invariants", () => {
  it('gap 6: release undoes only steps that were done', async () => {
    // The key was deactivated by an administrator before Keystop acted; the report names another user, so the exact
    // path reads the key's real owner and status and records its step as skipped.
    const context = await setUp();
    const key = await userWithTwoKeys(context.clients.iam);
    await context.clients.iam.send(new UpdateAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.leaked, Status: 'Inactive' }));
    const named = await userWithTwoKeys(context.clients.iam);
    const contained = await context.deliver(
      reportAbout('guardduty-tor', { userName: named.userName, accessKeyId: key.leaked }, uniqueName('tor')),
    );
    expect(contained.responses[0]!.actions[0]).toMatchObject({ type: 'deactivate-access-key', status: 'skipped' });
    await context.sink.drain();

    const [released] = await releaseContainment(
      { accessKeyId: key.leaked },
      { accountId: LOCAL_ACCOUNT_ID, by: RESPONDER, reason: 'drill' },
      context.stateful(),
    );

    expect(released).toMatchObject({ outcome: 'notified', reason: 'released' });
    expect(released!.actions.filter((a) => a.type === 'deactivate-access-key')).toEqual([]);
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
  });

  it('gap 8: approving a held incident gets an answer', async () => {
    const context = await setUp({ state: { breakerLimit: 1 } });
    const [first, second] = [await userWithTwoKeys(context.clients.iam), await userWithTwoKeys(context.clients.iam)];
    await context.deliver(reportAbout('guardduty-tor', { userName: first.userName, accessKeyId: first.leaked }, uniqueName('tor')));
    const held = await context.deliver(
      reportAbout('guardduty-tor', { userName: second.userName, accessKeyId: second.leaked }, uniqueName('tor')),
    );
    expect(held.responses[0]).toMatchObject({ outcome: 'notified', reason: 'breaker-open' });
    await context.sink.drain();

    const [answer] = await approveIncident(held.responses[0]!.incident!.id, LOCAL_ACCOUNT_ID, context.stateful());

    expect(answer).toMatchObject({ outcome: 'notified', reason: 'still-held' });
    expect(await keyStatuses(context.clients.iam, second.userName)).toEqual({ [second.leaked]: 'Active', [second.decoy]: 'Active' });
    const alerts = await context.sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain('approved, but still held by the open blast-radius breaker');
  });
});
