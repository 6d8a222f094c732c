import { DeleteAccessKeyCommand, TagUserCommand, UntagUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import type fc from 'fast-check';
import { expect } from 'vitest';
import { accessKeyRecordKey } from '../../src/domain/identifiers';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { containHeld } from '../../src/respond/containHeld';
import { releaseContainment } from '../../src/respond/releaseContainment';
import {
  breakerView,
  checkHeldIsJustified,
  checkInvariants,
  type FaultName,
  type Model,
  type Real,
  record,
  tellContained,
} from './credentialModel';
import { attacker, iamChange } from './iamChanges';
import type { Delivery, Fault } from './lambdaHarness';
import { keyStatuses, uniqueName } from './localAws';
import { type KeyRef, type ReportKind, reportAbout, reportKinds, securityHub } from './reports';

/** The commands of the model test (stateMachineModel.test.ts): each acts on the emulator, then checks the invariants. */

function faultOf(name: FaultName, key: KeyRef): Fault | undefined {
  const ofKey = (input: Record<string, any>) => input.AccessKeyId === key.accessKeyId;
  switch (name) {
    case 'none':
      return undefined;
    case 'hang-at-write':
      return { call: 'IAM:UpdateAccessKey', kind: 'hang', when: ofKey };
    case 'hang-at-alert':
      return { call: 'SNS:Publish', kind: 'hang' };
    case 'hang-after-alert':
      return { call: 'DynamoDB:UpdateItem', kind: 'hang', afterAlert: true };
    case 'hang-at-record':
      return { call: 'DynamoDB:UpdateItem', kind: 'hang', when: (input) => String(input.UpdateExpression).startsWith('SET doc') };
    case 'throttle-once':
      return { call: 'IAM:UpdateAccessKey', kind: 'throttle', when: ofKey };
    case 'sns-refuses-once':
      return { call: 'SNS:Publish', kind: 'unavailable' };
    case 'write-keeps-failing':
      return { call: 'IAM:UpdateAccessKey', kind: 'throttle', times: 3, when: ofKey };
  }
}

export class Report implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: number,
    readonly kind: ReportKind,
    readonly fault: FaultName,
    readonly redeliver: boolean,
    /** Which of two Lambda containers runs it (each remembers what it answered as contained). */
    readonly container: 0 | 1,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const ref = real.keys[this.key]!;
    const redelivered = this.redeliver && model.keys[this.key]!.lastEvent !== undefined;
    const event = redelivered ? model.keys[this.key]!.lastEvent : reportAbout(this.kind, ref, uniqueName('r'));
    const kind =
      this.redeliver && model.keys[this.key]!.lastEvent
        ? ((model.keys[this.key]!.lastEvent as { kind: ReportKind }).kind ?? this.kind)
        : this.kind;
    if (this.redeliver && model.keys[this.key]!.lastEvent) real.reached.add('redelivery');
    const fault = faultOf(this.fault, ref);
    if (fault) real.harness.arm(fault);
    const delivery = await real.harness.deliver(event, { container: this.container });
    real.harness.disarm();
    await checkHeldIsJustified(delivery, real);
    const key = model.keys[this.key]!;
    key.lastEvent = Object.assign(event as object, { kind });
    // A redelivery of a finding a release stood against is no new evidence: the key stays as the release left it.
    const about = delivery.responses[0]?.incident?.id;
    const repeatsReleased = redelivered && about !== undefined && key.releasedIds?.has(about) === true;
    record(model, real, [this.key], [repeatsReleased ? 'none' : reportKinds[kind]], delivery, this.fault);
    if (key.mustBeInactive) key.releasedIds = undefined;
    await checkInvariants(model, real);
  }
  toString = () =>
    `report(key ${this.key}, ${this.kind}${this.redeliver ? ', redelivered' : ''}, fault ${this.fault}, container ${this.container})`;
}

export class Batch implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly first: number,
    readonly second: number,
    readonly failing: FaultName,
  ) {}
  check = () => this.first !== this.second;
  async run(model: Model, real: Real) {
    const refs = [real.keys[this.first]!, real.keys[this.second]!];
    const fault = faultOf(this.failing, refs[0]!);
    if (fault) real.harness.arm(fault);
    const delivery = await real.harness.deliver(securityHub(refs, uniqueName('batch')));
    real.harness.disarm();
    await checkHeldIsJustified(delivery, real);
    record(model, real, [this.first, this.second], ['contain', 'contain'], delivery, this.failing);
    await checkInvariants(model, real);
  }
  toString = () => `security-hub batch(keys ${this.first}+${this.second}, fault on the first: ${this.failing})`;
}

/**
 * Two reports delivered at the same moment, as two concurrent Lambda invocations (a redelivery racing the original, a
 * second source racing the first): whatever the interleaving, the invariants hold as if they came one after another.
 */
export class Concurrent implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly keys: [number, number],
    readonly kinds: [ReportKind, ReportKind],
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const events = this.keys.map((key, n) => reportAbout(this.kinds[n]!, real.keys[key]!, uniqueName('c')));
    // The first attempts run at once, in two containers; Lambda retries a failed one a minute later, when the other has
    // long finished (its time-out is 30 s), so the retries run after both (the harness's one clock must not jump under a
    // live one).
    const first = await Promise.all(events.map((event, n) => real.harness.deliver(event, { retries: 0, container: n === 0 ? 0 : 1 })));
    const deliveries: Delivery[] = [];
    for (const [n, delivery] of first.entries()) deliveries.push(delivery.succeeded ? delivery : await real.harness.deliver(events[n]));
    for (const [n, delivery] of deliveries.entries()) {
      await checkHeldIsJustified(delivery, real);
      record(model, real, [this.keys[n]!], [reportKinds[this.kinds[n]!]], delivery, 'none');
    }
    await checkInvariants(model, real);
  }
  toString = () => `at once: report(key ${this.keys[0]}, ${this.kinds[0]}) ∥ report(key ${this.keys[1]}, ${this.kinds[1]})`;
}

/**
 * Someone re-enables the key, and IAM's CloudTrail event of it reaches the tamper guard, as the guard's rule delivers
 * it: a key Keystop contained is Inactive again once the guard has handled the event.
 */
export class ReEnable implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: number) {}
  check = (model: Readonly<Model>) => !model.keys[this.key]!.deleted;
  async run(model: Model, real: Real) {
    const { userName, accessKeyId } = real.keys[this.key]!;
    const key = model.keys[this.key]!;
    const contained = key.mustBeInactive;
    await real.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Active' }));
    const change = iamChange('UpdateAccessKey', { userName, accessKeyId, status: 'Active' }, attacker, uniqueName('re-enable'));
    expect((await real.harness.deliver(change)).succeeded, 'the tamper guard handles the re-enabling').toBe(true);
    if (contained) expect((await keyStatuses(real.iam, userName))[accessKeyId], `key ${this.key} put back by the guard`).toBe('Inactive');
    key.reEnabled++;
    key.reEnabledUnreported = true;
    key.notifiedBudget++;
    key.mustBeInactive = contained;
    await checkInvariants(model, real);
  }
  toString = () => `someone re-enables key ${this.key} (the tamper guard gets the CloudTrail event)`;
}

/**
 * `keystop release` of a contained key: the key is Active again, and the next report is new evidence, whatever a
 * container remembers of having answered it as contained.
 */
export class Release implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: number) {}
  check = (model: Readonly<Model>) => model.keys[this.key]!.mustBeInactive && !model.keys[this.key]!.deleted;
  async run(model: Model, real: Real) {
    const { userName, accessKeyId } = real.keys[this.key]!;
    const by = 'arn:aws:iam::000000000000:user/oncall';
    const { record: released } = await real.harness.deps.state!.read(
      accessKeyRecordKey(LOCAL_ACCOUNT_ID, accessKeyId),
      real.harness.deps.now(),
    );
    const [response] = await releaseContainment(
      { accessKeyId },
      { accountId: LOCAL_ACCOUNT_ID, by, reason: 'rotated' },
      {
        ...real.harness.deps,
        state: real.harness.deps.state!,
      },
    );
    expect(response, 'the release').toMatchObject({ outcome: 'notified', reason: 'released' });
    expect((await keyStatuses(real.iam, userName))[accessKeyId], 'a released key').toBe('Active');
    const key = model.keys[this.key]!;
    // The history starts over: the next report is new evidence (a weak one only alerts, its alert news again), and a
    // report calling for containment contains the key again, with an alert. The release's own alert is alert-only.
    Object.assign(key, {
      strongest: 'none',
      mustBeInactive: false,
      toldContained: false,
      reEnabled: key.reEnabled + 1,
      notifiedBudget: key.notifiedBudget + 2,
      releasedIds: new Set([released?.last?.incident?.id, released?.demand?.id].filter((id): id is string => id !== undefined)),
    });
    await checkInvariants(model, real);
  }
  toString = () => `keystop release key ${this.key}`;
}

export class Exempt implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: number,
    readonly exempt: boolean,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { userName, accessKeyId } = real.keys[this.key]!;
    if (this.exempt) await real.iam.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));
    else await real.iam.send(new UntagUserCommand({ UserName: userName, TagKeys: ['keystop:exempt'] }));
    const key = model.keys[this.key]!;
    // Exempted while Active: nothing automatic may cut it off now (a key contained before stays as it is).
    const active = (await keyStatuses(real.iam, userName))[accessKeyId] === 'Active';
    key.mustStayActive = this.exempt && (key.mustStayActive || (active && !key.deleted));
    key.exempt = this.exempt;
    await checkInvariants(model, real);
  }
  toString = () => `${this.exempt ? 'tag' : 'untag'} the owner of key ${this.key} keystop:exempt`;
}

export class DeleteKey implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: number) {}
  check = (model: Readonly<Model>) => !model.keys[this.key]!.deleted;
  async run(model: Model, real: Real) {
    const { userName, accessKeyId } = real.keys[this.key]!;
    await real.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
    Object.assign(model.keys[this.key]!, { deleted: true, mustBeInactive: false, mustStayActive: false });
    await checkInvariants(model, real);
  }
  toString = () => `a human deletes key ${this.key}`;
}

/** `keystop breaker reset`, and with `--contain-held` the containment of every key the breaker held, not exempt now. */
export class ResetBreaker implements fc.AsyncCommand<Model, Real> {
  constructor(readonly containHeld: boolean) {}
  check = () => true;
  async run(model: Model, real: Real) {
    if (model.keys.some((key) => key.held)) real.reached.add('reset-while-held');
    await real.harness.deps.state!.resetBreaker(LOCAL_ACCOUNT_ID);
    real.resets++;
    if (this.containHeld) {
      const responses = await containHeld(LOCAL_ACCOUNT_ID, { ...real.harness.deps, state: real.harness.deps.state! });
      const { resolved } = breakerView(responses, real);
      for (const [i, key] of model.keys.entries()) {
        if (!key.held || key.exempt) continue;
        expect(resolved.has(i), `key ${i}, held, is contained (or found gone) by --contain-held`).toBe(true);
        real.reached.add('contain-held');
        key.held = false;
        if (!key.deleted) key.mustBeInactive = true;
        tellContained(key);
      }
    }
    await checkInvariants(model, real);
  }
  toString = () => `keystop breaker reset${this.containHeld ? ' --contain-held' : ''}`;
}

/** Several commands as one: a rare path that takes more than one step, still checked after each. */
export class Steps implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly name: string,
    readonly steps: fc.AsyncCommand<Model, Real>[],
  ) {}
  check = (model: Readonly<Model>) => this.steps[0]!.check(model);
  async run(model: Model, real: Real) {
    for (const step of this.steps) if (step.check(model)) await step.run(model, real);
  }
  toString = () => `${this.name}: [${this.steps.map(String).join('; ')}]`;
}
