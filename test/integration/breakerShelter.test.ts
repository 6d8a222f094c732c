import { CreateAccessKeyCommand, CreateUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import type { StateSettings } from '../../src/stores/dynamoStateStore';
import { iamChange } from '../support/iamChanges';
import { lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { reportAbout } from '../support/reports';

const MINUTE = 60_000;

/**
 * Issue 29, move 4: the leaked key of `payroll-sync` creates users with keys (CloudTrail records it, the guard notes
 * it), uses them from Tor and gets them reported, to fill the blast-radius breaker before its own report arrives.
 */
async function setUp(state: Partial<StateSettings>) {
  const local = await localResponder({ state: { breakerLimit: 2, ...state } });
  const { iam, sns, dynamodb } = local.responderClients;
  const context = { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
  const payroll = await userWithTwoKeys(local.clients.iam, uniqueName('payroll-sync'));
  // Established users nobody reports: they must stay untouched.
  const bystander = await userWithTwoKeys(local.clients.iam, uniqueName('ops'));
  const breaker = async () => (await local.deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, new Date(context.clock.now()))).principals;
  return { ...context, payroll, bystander, breaker };
}

/** A user and its key created with `by` (applied to the emulator), and CloudTrail's two events of it sent to the guard. */
async function createdWith(
  context: { clients: { iam: IAMClient }; deliver: (event: unknown) => Promise<unknown> },
  by: { userName: string; leaked: string },
  name: string,
) {
  const userName = uniqueName(name);
  await context.clients.iam.send(new CreateUserCommand({ UserName: userName }));
  const accessKeyId = (await context.clients.iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!;
  const caller = { kind: 'user' as const, name: by.userName };
  const byLeakedKey = (event: Record<string, any>) => {
    event.detail.userIdentity.accessKeyId = by.leaked;
    return event;
  };
  if (by.leaked !== '') {
    await context.deliver(byLeakedKey(iamChange('CreateUser', { userName }, caller, uniqueName('made'))));
    const accessKey = { userName, accessKeyId, status: 'Active' };
    await context.deliver(byLeakedKey(iamChange('CreateAccessKey', { userName }, caller, uniqueName('made'), { accessKey })));
  }
  return { userName, accessKeyId };
}

const tor = (key: { userName: string; accessKeyId: string }) => reportAbout('guardduty-tor', key, uniqueName('tor'));

describe('The breaker cannot be filled by the attacker (issue 29, move 4)', () => {
  it('created users reported first: their slots are taken out when the leaked key needs one; the leaked key is contained', async () => {
    // Prepare: breakerLimit 2; the rule on CreateDate is off (the emulator made every user now): the creation log decides.
    const context = await setUp({ youngPrincipalMs: 0 });
    const { payroll, bystander } = context;
    const leakedKey = { userName: payroll.userName, leaked: payroll.leaked };
    const runners = [await createdWith(context, leakedKey, 'tmp-runner-1'), await createdWith(context, leakedKey, 'tmp-runner-2')];

    // Act: GuardDuty reports both created users' keys (they fill the breaker), then the leaked key itself.
    const first = [await context.deliver(tor(runners[0]!)), await context.deliver(tor(runners[1]!))];
    const filled = await context.breaker();
    const leaked = await context.deliver(tor({ userName: payroll.userName, accessKeyId: payroll.leaked }));

    // Assess
    expect(first.map((d) => d.responses[0]?.outcome)).toEqual(['contained', 'contained']);
    expect(filled).toHaveLength(2);
    expect(leaked.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(leaked.responses[0]!.explanation).toContain(
      `user/${runners[0]!.userName} (user/${runners[0]!.userName} was created by ${payroll.leaked}`,
    );
    expect(leaked.responses[0]!.explanation).toContain("the breaker's slots of");
    expect(await keyStatuses(context.clients.iam, payroll.userName)).toEqual({ [payroll.leaked]: 'Inactive', [payroll.decoy]: 'Active' });
    for (const runner of runners) {
      expect(await keyStatuses(context.clients.iam, runner.userName)).toEqual({ [runner.accessKeyId]: 'Inactive' });
    }
    expect(await keyStatuses(context.clients.iam, bystander.userName)).toEqual({
      [bystander.leaked]: 'Active',
      [bystander.decoy]: 'Active',
    });
    expect(await context.breaker()).toEqual([`user/${payroll.userName}`]);
    const alerts = await context.sink.drain();
    expect(alerts.filter((a) => a.attributes.outcome === 'breaker-open')).toEqual([]);
    expect(alerts.find((a) => a.text.includes(payroll.leaked) && a.attributes.outcome === 'contained')?.text).toContain(
      `was created by ${payroll.leaked}, which Keystop is asked to contain now`,
    );
  });

  it('the leaked key reported first: a created user takes no slot the breaker refuses, and never holds an established principal', async () => {
    const context = await setUp({ youngPrincipalMs: 0 });
    const { payroll, bystander } = context;
    const leakedKey = { userName: payroll.userName, leaked: payroll.leaked };
    const runners = [await createdWith(context, leakedKey, 'tmp-runner-1'), await createdWith(context, leakedKey, 'tmp-runner-2')];
    const other = await userWithTwoKeys(context.clients.iam, uniqueName('billing'));

    // Act: the leaked key first (one slot; what it made is followed and contained with it), then the created users,
    // then an established user's key, then another.
    const leaked = await context.deliver(tor({ userName: payroll.userName, accessKeyId: payroll.leaked }));
    const created = [await context.deliver(tor(runners[0]!)), await context.deliver(tor(runners[1]!))];
    const established = await context.deliver(tor({ userName: bystander.userName, accessKeyId: bystander.leaked }));
    const beyond = await context.deliver(tor({ userName: other.userName, accessKeyId: other.leaked }));

    // Assess: the created users never held the established one; the breaker still holds the one beyond its limit.
    expect(leaked.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(created.map((d) => d.responses[0]?.outcome)).toEqual(['contained', 'contained']);
    expect(established.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(beyond.responses[0]).toMatchObject({ outcome: 'notified', reason: 'breaker-open' });
    expect(await keyStatuses(context.clients.iam, payroll.userName)).toEqual({ [payroll.leaked]: 'Inactive', [payroll.decoy]: 'Active' });
    for (const runner of runners) {
      expect(await keyStatuses(context.clients.iam, runner.userName)).toEqual({ [runner.accessKeyId]: 'Inactive' });
    }
    expect(await keyStatuses(context.clients.iam, bystander.userName)).toEqual({
      [bystander.leaked]: 'Inactive',
      [bystander.decoy]: 'Active',
    });
    expect(await keyStatuses(context.clients.iam, other.userName)).toEqual({ [other.leaked]: 'Active', [other.decoy]: 'Active' });
    expect((await context.breaker()).sort()).toEqual([`user/${bystander.userName}`, `user/${payroll.userName}`].sort());
  });

  it('users made with a key the leaked key made (a chain), waited out past the window, are taken out too', async () => {
    // Prepare: the attacker makes a pivot user with a key, and with the pivot's key the runners; it then waits past
    // the window (CreateDate rule on: an hour), so that IAM's age no longer tells them apart from established users.
    const context = await setUp({ youngPrincipalMs: 60 * MINUTE, breakerWindowMs: 60 * MINUTE });
    const { payroll, bystander } = context;
    const pivot = await createdWith(context, { userName: payroll.userName, leaked: payroll.leaked }, 'pivot');
    const byPivot = { userName: pivot.userName, leaked: pivot.accessKeyId };
    const runners = [await createdWith(context, byPivot, 'tmp-runner-1'), await createdWith(context, byPivot, 'tmp-runner-2')];
    context.clock.advance(61 * MINUTE);

    // Act: the runners fill the breaker, then the leaked key is reported.
    const first = [await context.deliver(tor(runners[0]!)), await context.deliver(tor(runners[1]!))];
    const leaked = await context.deliver(tor({ userName: payroll.userName, accessKeyId: payroll.leaked }));

    // Assess: the leaked key is contained; the runners' slots were given back, naming the chain.
    expect(first.map((d) => d.responses[0]?.outcome)).toEqual(['contained', 'contained']);
    expect(leaked.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(leaked.responses[0]!.explanation).toContain(
      `user/${runners[0]!.userName} was created by ${pivot.accessKeyId}, made by ${payroll.leaked}, which Keystop is asked to contain now`,
    );
    expect(await keyStatuses(context.clients.iam, payroll.userName)).toEqual({ [payroll.leaked]: 'Inactive', [payroll.decoy]: 'Active' });
    expect(await keyStatuses(context.clients.iam, bystander.userName)).toEqual({
      [bystander.leaked]: 'Active',
      [bystander.decoy]: 'Active',
    });
    expect(await context.breaker()).toEqual([`user/${payroll.userName}`]);
  });

  it('a user IAM created inside the breaker window takes no slot, even without a creation log; an older one is held', async () => {
    // Prepare: no CloudTrail events at all (e.g. a region without the forwarder); the rule on CreateDate is on.
    const young = await setUp({ youngPrincipalMs: 10 * MINUTE, breakerWindowMs: 60 * MINUTE, breakerLimit: 1 });
    const noLog = { userName: young.payroll.userName, leaked: '' };
    const youngRunner = await createdWith(young, noLog, 'tmp-runner');

    const answers = [
      await young.deliver(tor({ userName: young.payroll.userName, accessKeyId: young.payroll.leaked })),
      await young.deliver(tor(youngRunner)),
    ];

    expect(answers.map((d) => d.responses[0]?.outcome)).toEqual(['contained', 'contained']);
    expect(answers[1]!.responses[0]!.explanation).toMatch(
      new RegExp(`contained without a breaker slot: user/${youngRunner.userName} was created \\d+ minutes ago .*inside the breaker window`),
    );
    expect(await keyStatuses(young.clients.iam, youngRunner.userName)).toEqual({ [youngRunner.accessKeyId]: 'Inactive' });
    expect(await young.breaker()).toEqual([`user/${young.payroll.userName}`]);

    // The same, twenty minutes after every user was created: established now, so the breaker holds it.
    const old = await setUp({ youngPrincipalMs: 10 * MINUTE, breakerWindowMs: 60 * MINUTE, breakerLimit: 1 });
    const oldRunner = await createdWith(old, { userName: old.payroll.userName, leaked: '' }, 'tmp-runner');
    old.clock.advance(20 * MINUTE);
    await old.deliver(tor({ userName: old.payroll.userName, accessKeyId: old.payroll.leaked }));
    const held = await old.deliver(tor(oldRunner));

    expect(held.responses[0]).toMatchObject({ outcome: 'notified', reason: 'breaker-open' });
    expect(await keyStatuses(old.clients.iam, oldRunner.userName)).toEqual({ [oldRunner.accessKeyId]: 'Active' });
  });
});
