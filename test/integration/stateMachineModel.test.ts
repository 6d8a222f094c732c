import {
  DeleteAccessKeyCommand,
  ListUserPoliciesCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { defaultGuardrails } from '../../src/decide/Guardrails';
import { planResponse } from '../../src/decide/planResponse';
import type { DeliveredAlert } from '../../src/local/createAlertSink';
import { createStateTable } from '../../src/local/createStateTable';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { releaseContainment } from '../../src/respond/releaseContainment';
import { eventSourceFor } from '../../src/sources/eventSources';
import { parseEvent } from '../../src/sources/parseEvent';
import { dynamoStateStore } from '../../src/stores/dynamoStateStore';
import { attacker, iamChange } from '../support/iamChanges';
import { type Delivery, type Fault, lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { type KeyRef, type ReportKind, reportAbout, reportKinds, securityHub } from '../support/reports';

/**
 * Model-based test of the per-credential state machine (issue 11): random sequences of reports of several sources
 * and strengths about three keys, re-deliveries, batches with a failing member, keys a human re-enables or deletes,
 * exemption tags set and removed, breaker resets, and faults at each step (an attempt that hangs and times out,
 * throttling, SNS refusing) run through the real handlers and Lambda's retries against the emulator. After every
 * step the invariants are checked against the emulator's IAM state and the alerts its queue received.
 *
 * KEYSTOP_MODEL_RUNS sets the number of sequences (default 200).
 */
const RUNS = Number(process.env.KEYSTOP_MODEL_RUNS ?? 200);
const KEYS = 3;
/** Small, so that sequences open the breaker and hold containments. */
const BREAKER_LIMIT = 2;

type Strength = 'none' | 'alert' | 'contain';
const rank = { none: 0, alert: 1, contain: 2 } as const;

interface KeyModel {
  /** The strongest report delivered about the key so far. */
  strongest: Strength;
  /** The key must be Inactive (a report calling for containment succeeded since it was last re-enabled). */
  mustBeInactive: boolean;
  exempt: boolean;
  /** The breaker holds its containment (until a response contains it). */
  held: boolean;
  deleted: boolean;
  /** Times a human re-enabled the key: each may be contained again, with an alert. */
  reEnabled: number;
  /** Alerts that may be sent twice: an attempt timed out, possibly between publishing and recording an alert. */
  repeatAllowance: number;
  /** Alert-only alerts the key may get: its first report, each time it is newly held, each time it is found undone. */
  notifiedBudget: number;
  /** Whether some successful invocation reported about this key (it must have an alert about it). */
  answered: boolean;
  lastEvent?: unknown;
}

interface Real {
  keys: (KeyRef & { decoy: string })[];
  harness: ReturnType<typeof lambdaHarness>;
  iam: Awaited<ReturnType<typeof localResponder>>['clients']['iam'];
  sink: Awaited<ReturnType<typeof localResponder>>['sink'];
  alerts: DeliveredAlert[];
}

interface Model {
  keys: KeyModel[];
}

type FaultName =
  | 'none'
  | 'hang-at-write'
  | 'hang-at-alert'
  | 'hang-after-alert'
  | 'hang-at-record'
  | 'throttle-once'
  | 'sns-refuses-once'
  | 'write-keeps-failing';

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

/** Which keys a delivery's responses say the breaker holds, and which it contained (or found gone). */
function breakerView(delivery: Delivery, real: Real) {
  const held = new Set<number>();
  const resolved = new Set<number>();
  for (const response of delivery.responses) {
    const credential = response.incident?.credential;
    const index = real.keys.findIndex((k) => credential?.kind === 'long-term-key' && credential.accessKeyId === k.accessKeyId);
    if (index < 0) continue;
    if (response.reason === 'breaker-open' || response.reason === 'still-held') held.add(index);
    if (response.outcome === 'contained' || response.outcome === 'gone') resolved.add(index);
  }
  return { held, resolved };
}

/** A key is held only while the breaker is full: the responder's word for it is checked against the breaker. */
async function checkHeldIsJustified(delivery: Delivery, real: Real) {
  if (breakerView(delivery, real).held.size === 0) return;
  const breaker = await real.harness.deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, real.harness.deps.now());
  expect(breaker.count, 'a containment was held while the breaker had room').toBeGreaterThanOrEqual(BREAKER_LIMIT);
}

/** Applies a delivery's effect to the model: what the keys must now be. */
function record(model: Model, real: Real, indices: number[], strengths: Strength[], delivery: Delivery, fault: FaultName) {
  const { held, resolved } = breakerView(delivery, real);
  indices.forEach((i, n) => {
    const key = model.keys[i]!;
    if (rank[strengths[n]!] > rank[key.strongest]) key.strongest = strengths[n]!;
    // A time-out between publishing an alert and recording it makes the retry send it again (at least once, never
    // zero times). In a batch, a time-out anywhere freezes the whole invocation, also the other incident's window.
    if (fault === 'hang-after-alert' || (indices.length > 1 && fault.startsWith('hang'))) key.repeatAllowance++;
    if (held.has(i) && !key.held) key.notifiedBudget++;
    if (held.has(i)) key.held = true;
    if (resolved.has(i)) key.held = false;
    if (!delivery.succeeded || key.deleted) return;
    key.answered = true;
    if (key.held || key.exempt) return;
    if (key.strongest === 'contain') key.mustBeInactive = true;
  });
}

class Report implements fc.AsyncCommand<Model, Real> {
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
    const event =
      this.redeliver && model.keys[this.key]!.lastEvent ? model.keys[this.key]!.lastEvent : reportAbout(this.kind, ref, uniqueName('r'));
    const kind =
      this.redeliver && model.keys[this.key]!.lastEvent
        ? ((model.keys[this.key]!.lastEvent as { kind: ReportKind }).kind ?? this.kind)
        : this.kind;
    const fault = faultOf(this.fault, ref);
    if (fault) real.harness.arm(fault);
    const delivery = await real.harness.deliver(event, { container: this.container });
    real.harness.disarm();
    await checkHeldIsJustified(delivery, real);
    model.keys[this.key]!.lastEvent = Object.assign(event as object, { kind });
    record(model, real, [this.key], [reportKinds[kind]], delivery, this.fault);
    await checkInvariants(model, real);
  }
  toString = () =>
    `report(key ${this.key}, ${this.kind}${this.redeliver ? ', redelivered' : ''}, fault ${this.fault}, container ${this.container})`;
}

class Batch implements fc.AsyncCommand<Model, Real> {
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
class Concurrent implements fc.AsyncCommand<Model, Real> {
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

class ReEnable implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: number) {}
  check = (model: Readonly<Model>) => !model.keys[this.key]!.deleted;
  async run(model: Model, real: Real) {
    const { userName, accessKeyId } = real.keys[this.key]!;
    await real.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Active' }));
    // IAM's CloudTrail event of the change reaches the tamper guard, as the guard's rule delivers it: a key Keystop
    // contained is put back at once (a later report of it is then a duplicate, answered from the record).
    const change = iamChange('UpdateAccessKey', { userName, accessKeyId, status: 'Active' }, attacker, uniqueName('re-enable'));
    expect((await real.harness.deliver(change)).succeeded, 'the tamper guard handles the re-enabling').toBe(true);
    const key = model.keys[this.key]!;
    key.reEnabled++;
    key.notifiedBudget++;
    key.mustBeInactive = false;
    await checkInvariants(model, real);
  }
  toString = () => `someone re-enables key ${this.key} (the tamper guard gets the CloudTrail event)`;
}

/**
 * `keystop release` of a contained key: the key is Active again, and the next report is new evidence, whatever a
 * container remembers of having answered it as contained.
 */
class Release implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: number) {}
  check = (model: Readonly<Model>) => model.keys[this.key]!.mustBeInactive && !model.keys[this.key]!.deleted;
  async run(model: Model, real: Real) {
    const { userName, accessKeyId } = real.keys[this.key]!;
    const by = 'arn:aws:iam::000000000000:user/oncall';
    const [response] = await releaseContainment(
      { accessKeyId },
      { accountId: LOCAL_ACCOUNT_ID, by, reason: 'rotated' },
      { ...real.harness.deps, state: real.harness.deps.state! },
    );
    expect(response, 'the release').toMatchObject({ outcome: 'notified', reason: 'released' });
    expect((await keyStatuses(real.iam, userName))[accessKeyId], 'a released key').toBe('Active');
    const key = model.keys[this.key]!;
    // The history starts over: the next report is new evidence (a weak one only alerts, its alert news again), and a
    // report calling for containment contains the key again, with an alert. The release's own alert is alert-only.
    Object.assign(key, {
      strongest: 'none',
      mustBeInactive: false,
      reEnabled: key.reEnabled + 1,
      notifiedBudget: key.notifiedBudget + 2,
    });
    await checkInvariants(model, real);
  }
  toString = () => `keystop release key ${this.key}`;
}

class Exempt implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: number,
    readonly exempt: boolean,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { userName } = real.keys[this.key]!;
    if (this.exempt) await real.iam.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));
    else await real.iam.send(new UntagUserCommand({ UserName: userName, TagKeys: ['keystop:exempt'] }));
    model.keys[this.key]!.exempt = this.exempt;
    await checkInvariants(model, real);
  }
  toString = () => `${this.exempt ? 'tag' : 'untag'} the owner of key ${this.key} keystop:exempt`;
}

class DeleteKey implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: number) {}
  check = (model: Readonly<Model>) => !model.keys[this.key]!.deleted;
  async run(model: Model, real: Real) {
    const { userName, accessKeyId } = real.keys[this.key]!;
    await real.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
    Object.assign(model.keys[this.key]!, { deleted: true, mustBeInactive: false });
    await checkInvariants(model, real);
  }
  toString = () => `a human deletes key ${this.key}`;
}

class ResetBreaker implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    await real.harness.deps.state!.resetBreaker(LOCAL_ACCOUNT_ID);
    await checkInvariants(model, real);
  }
  toString = () => 'keystop breaker reset';
}

async function checkInvariants(model: Model, real: Real): Promise<void> {
  real.alerts.push(...(await real.sink.drain()));
  for (const [i, key] of model.keys.entries()) {
    const { userName, accessKeyId, decoy } = real.keys[i]!;
    const statuses = await keyStatuses(real.iam, userName);
    // (2) Nothing the reports did not name is ever changed: the decoy key (and, checked at the end of each sequence,
    // since Keystop never removes one, no policy on the user).
    expect(statuses[decoy], `decoy of key ${i}`).toBe('Active');
    if (!key.deleted) {
      // (1) A key whose strongest report calls for containment, not exempt or held, is Inactive once an invocation succeeded.
      if (key.mustBeInactive) expect(statuses[accessKeyId], `key ${i} must be Inactive`).toBe('Inactive');
      // …and a key no report called to contain is never touched.
      if (key.strongest !== 'contain') expect(statuses[accessKeyId], `key ${i} was only alerted on`).toBe('Active');
    }
    const about = real.alerts.filter((a) => a.document.alertType === 'response' && a.document.credential?.accessKeyId === accessKeyId);
    const count = (...outcomes: string[]) => about.filter((a) => outcomes.includes(a.attributes.outcome!)).length;
    // (3) One alert per credential and level (plus one per re-enabling, and the at-least-once window), plus failures.
    expect(count('contained', 'gone'), `containment alerts about key ${i}`).toBeLessThanOrEqual(1 + key.reEnabled + key.repeatAllowance);
    expect(count('notified'), `alert-only alerts about key ${i}`).toBeLessThanOrEqual(key.notifiedBudget + key.repeatAllowance);
    // (4) No report ends with neither an alert about its credential nor a failing invocation.
    if (key.answered) expect(about.length, `alerts about key ${i}`).toBeGreaterThan(0);
  }
}

const faults = fc.constantFrom<FaultName>(
  'none',
  'none',
  'none',
  'hang-at-write',
  'hang-at-alert',
  'hang-after-alert',
  'hang-at-record',
  'throttle-once',
  'sns-refuses-once',
  'write-keeps-failing',
);
const keyIndex = fc.integer({ min: 0, max: KEYS - 1 });
const commands = [
  fc
    .tuple(
      keyIndex,
      fc.constantFrom(...(Object.keys(reportKinds) as ReportKind[])),
      faults,
      fc.boolean(),
      fc.constantFrom(0 as const, 1 as const),
    )
    .map(([key, kind, fault, redeliver, container]) => new Report(key, kind, fault, redeliver, container)),
  fc.tuple(keyIndex, keyIndex, faults).map(([a, b, fault]) => new Batch(a, b, fault)),
  fc
    .tuple(
      keyIndex,
      keyIndex,
      fc.constantFrom(...(Object.keys(reportKinds) as ReportKind[])),
      fc.constantFrom(...(Object.keys(reportKinds) as ReportKind[])),
    )
    .map(([a, b, kindA, kindB]) => new Concurrent([a, b], [kindA, kindB])),
  keyIndex.map((key) => new ReEnable(key)),
  keyIndex.map((key) => new Release(key)),
  fc.tuple(keyIndex, fc.boolean()).map(([key, exempt]) => new Exempt(key, exempt)),
  keyIndex.map((key) => new DeleteKey(key)),
  fc.constant(new ResetBreaker()),
];

describe('Model: the per-credential state machine over random sequences (emulator)', () => {
  it('the report kinds are as strong as the default policies say', () => {
    for (const [kind, strength] of Object.entries(reportKinds) as [ReportKind, Strength][]) {
      const event = reportAbout(kind, { userName: 'someone', accessKeyId: 'AKIAMODELCHECK000001' }, 'check');
      const source = eventSourceFor(event)!;
      const adapted = source.adapt(parseEvent(source.name, source.schema, event));
      expect(adapted.kind, kind).toBe('incidents');
      const [incident] = adapted.kind === 'incidents' ? adapted.incidents : [];
      const plan = planResponse(defaultPolicies, incident!, defaultGuardrails);
      expect(plan.execute ? 'contain' : 'alert', kind).toBe(strength);
      // The later notification carries GuardDuty's mark of a repeat, so the model drives the claim-first order with it.
      expect(incident!.repeated === true, kind).toBe(kind === 'guardduty-tor-later');
    }
  });

  it(`keeps every invariant over ${RUNS} sequences of reports, retries, human changes and faults`, async () => {
    // One responder, alert topic and queue for all sequences; each sequence gets its own state table and keys.
    const local = await localResponder({ state: { breakerLimit: BREAKER_LIMIT } });
    const { iam, sns, dynamodb } = local.responderClients;
    const harness = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb });
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 6 }), async (sequence) => {
        const tableName = uniqueName('keystop-model');
        await createStateTable(local.clients.dynamodb, tableName);
        harness.use(
          dynamoStateStore(
            dynamodb,
            { tableName, dedupWindowMs: 24 * 3600_000, breakerLimit: BREAKER_LIMIT, breakerWindowMs: 3600_000 },
            local.deps.sleep,
          ),
        );
        const keys = [];
        for (let i = 0; i < KEYS; i++) {
          const { userName, leaked, decoy } = await userWithTwoKeys(local.clients.iam);
          keys.push({ userName, accessKeyId: leaked, decoy });
        }
        const model: Model = {
          keys: keys.map(() => ({
            strongest: 'none',
            mustBeInactive: false,
            exempt: false,
            held: false,
            deleted: false,
            reEnabled: 0,
            repeatAllowance: 0,
            notifiedBudget: 1,
            answered: false,
          })),
        };
        // Alerts of earlier sequences (a failed one) stay out of this one's counts.
        await local.sink.drain();
        const real: Real = { keys, harness, iam: local.clients.iam, sink: local.sink, alerts: [] };
        await fc.asyncModelRun(() => ({ model, real }), sequence);
        for (const { userName } of keys) {
          expect(
            (await local.clients.iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames,
            `policies of ${userName}`,
          ).toEqual([]);
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
