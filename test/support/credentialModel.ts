import { expect } from 'vitest';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import type { DeliveredAlert } from '../../src/local/createAlertSink';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import type { Delivery, lambdaHarness } from './lambdaHarness';
import { keyStatuses, type localResponder } from './localAws';
import type { KeyRef } from './reports';

/**
 * The model of the per-credential state machine that stateMachineModel.test.ts drives: what each key must be after
 * every step, checked against the emulator's IAM state and the alerts its queue received, and which rare paths a
 * sequence reached.
 */

/** Small, so that sequences open the breaker and hold containments. */
export const BREAKER_LIMIT = 2;
export const BREAKER_WINDOW_MS = 3600_000;

export type Strength = 'none' | 'alert' | 'contain';
const rank = { none: 0, alert: 1, contain: 2 } as const;

export interface KeyModel {
  /** The strongest report delivered about the key so far. */
  strongest: Strength;
  /** The key must be Inactive (a report calling for containment succeeded since it was last re-enabled). */
  mustBeInactive: boolean;
  exempt: boolean;
  /** Exempt while Active: no report may cut it off until the tag is removed. */
  mustStayActive: boolean;
  /** The breaker holds its containment (until a response contains it). */
  held: boolean;
  deleted: boolean;
  /** Times a human re-enabled the key: each may be contained again, with an alert. */
  reEnabled: number;
  /** Re-enabled, and no report about it delivered since. */
  reEnabledUnreported: boolean;
  /** Alerts that may be sent twice: an attempt timed out, possibly between publishing and recording an alert. */
  repeatAllowance: number;
  /** Alert-only alerts the key may get: its first report, each time it is newly held, each time it is found undone. */
  notifiedBudget: number;
  /** Responders were told of its containment (or that it is gone) since its history last started over. */
  toldContained: boolean;
  /** Containment or "gone" alerts that must have been sent: one per containment the model expects to be told. */
  containAlertsDue: number;
  /** Whether some successful invocation reported about this key (it must have an alert about it). */
  answered: boolean;
  lastEvent?: unknown;
  /**
   * The findings a release stood against (the record's last incident and demand when it was released): a redelivery of
   * one repeats released evidence, and Keystop leaves the key as the release left it (nextResponse's repeatsReleased).
   */
  releasedIds?: ReadonlySet<string>;
}

export const freshKey = (): KeyModel => ({
  strongest: 'none',
  mustBeInactive: false,
  exempt: false,
  mustStayActive: false,
  held: false,
  deleted: false,
  reEnabled: 0,
  reEnabledUnreported: false,
  repeatAllowance: 0,
  notifiedBudget: 1,
  toldContained: false,
  containAlertsDue: 0,
  answered: false,
});

/** The rare paths a sequence may reach; the test counts, per run, how many sequences reached each. */
export const paths = [
  'breaker-fill',
  'still-held',
  'reset-while-held',
  'contain-held',
  'redelivery',
  're-enable-then-report',
  'gone-after-alert-only',
  'escalation',
] as const;
export type Path = (typeof paths)[number];

export interface Real {
  keys: (KeyRef & { decoy: string })[];
  harness: ReturnType<typeof lambdaHarness>;
  iam: Awaited<ReturnType<typeof localResponder>>['clients']['iam'];
  sink: Awaited<ReturnType<typeof localResponder>>['sink'];
  alerts: DeliveredAlert[];
  /** The rare paths this sequence reached. */
  reached: Set<Path>;
  /** Each automatic cut-off of a principal (its key deactivated by a report), when, and after which reset. */
  cutOffs: { principal: string; at: number; resets: number }[];
  /** How many times the breaker was reset (its count starts again; the test's clock may not have moved since). */
  resets: number;
}

export interface Model {
  keys: KeyModel[];
}

export type FaultName =
  | 'none'
  | 'hang-at-write'
  | 'hang-at-alert'
  | 'hang-after-alert'
  | 'hang-at-record'
  | 'throttle-once'
  | 'sns-refuses-once'
  | 'write-keeps-failing';

const indexOf = (response: IncidentResponse, real: Real) => {
  const credential = response.incident?.credential;
  return real.keys.findIndex((k) => credential?.kind === 'long-term-key' && credential.accessKeyId === k.accessKeyId);
};

/** Which keys a delivery's responses say the breaker holds, and which it contained (or found gone). */
export function breakerView(responses: readonly IncidentResponse[], real: Real) {
  const held = new Set<number>();
  const resolved = new Set<number>();
  for (const response of responses) {
    const index = indexOf(response, real);
    if (index < 0) continue;
    if (response.reason === 'breaker-open') real.reached.add('breaker-fill');
    if (response.reason === 'still-held') real.reached.add('still-held');
    if (response.reason === 'escalated') real.reached.add('escalation');
    if (response.reason === 'breaker-open' || response.reason === 'still-held') held.add(index);
    if (response.outcome === 'contained' || response.outcome === 'gone') resolved.add(index);
  }
  return { held, resolved };
}

/** A key is held only while the breaker is full: the responder's word for it is checked against the breaker. */
export async function checkHeldIsJustified(delivery: Delivery, real: Real) {
  if (breakerView(delivery.responses, real).held.size === 0) return;
  const breaker = await real.harness.deps.state!.breakerStatus(LOCAL_ACCOUNT_ID, real.harness.deps.now());
  expect(breaker.count, 'a containment was held while the breaker had room').toBeGreaterThanOrEqual(BREAKER_LIMIT);
}

/**
 * The breaker's promise, kept whatever the path a report took: no more distinct principals cut off automatically in
 * the account, within the window and since the last reset, than the breaker allows.
 */
function checkBreakerCap(responses: readonly IncidentResponse[], real: Real) {
  const now = real.harness.deps.now().getTime();
  for (const response of responses) {
    const index = indexOf(response, real);
    const cut = response.actions.some((a) => a.type === 'deactivate-access-key' && a.status === 'done');
    if (index >= 0 && cut) real.cutOffs.push({ principal: real.keys[index]!.userName, at: now, resets: real.resets });
  }
  const inWindow = real.cutOffs.filter((c) => c.resets === real.resets && c.at > now - BREAKER_WINDOW_MS);
  const principals = new Set(inWindow.map((c) => c.principal));
  expect(principals.size, 'principals cut off in the window, past the breaker').toBeLessThanOrEqual(BREAKER_LIMIT);
}

/** Applies a delivery's effect to the model: what the keys must now be, and which alerts are due. */
export function record(model: Model, real: Real, indices: number[], strengths: Strength[], delivery: Delivery, fault: FaultName) {
  const { held, resolved } = breakerView(delivery.responses, real);
  checkBreakerCap(delivery.responses, real);
  indices.forEach((i, n) => {
    const key = model.keys[i]!;
    const earlier = key.strongest;
    if (rank[strengths[n]!] > rank[key.strongest]) key.strongest = strengths[n]!;
    // A time-out between publishing an alert and recording it makes the retry send it again (at least once, never
    // zero times). In a batch, a time-out anywhere freezes the whole invocation, also the other incident's window.
    if (fault === 'hang-after-alert' || (indices.length > 1 && fault.startsWith('hang'))) key.repeatAllowance++;
    if (held.has(i) && !key.held) key.notifiedBudget++;
    if (held.has(i)) key.held = true;
    if (resolved.has(i)) key.held = false;
    if (!delivery.succeeded) return;
    key.answered = true;
    if (key.reEnabledUnreported) real.reached.add('re-enable-then-report');
    key.reEnabledUnreported = false;
    if (key.held || key.exempt) return;
    if (key.deleted) {
      // A report calling for containment of a key that is gone: responders hear it, unless they know of its containment.
      if (strengths[n] !== 'contain') return;
      if (earlier === 'alert') real.reached.add('gone-after-alert-only');
      tellContained(key);
      return;
    }
    if (key.strongest === 'contain') {
      key.mustBeInactive = true;
      tellContained(key);
    }
  });
}

/** Responders must have heard of the key's containment (or that it is gone): one alert, the first time. */
export function tellContained(key: KeyModel) {
  if (key.toldContained) return;
  key.toldContained = true;
  key.containAlertsDue++;
}

export async function checkInvariants(model: Model, real: Real): Promise<void> {
  const [alerts, ...statusesOf] = await Promise.all([real.sink.drain(), ...real.keys.map((k) => keyStatuses(real.iam, k.userName))]);
  real.alerts.push(...alerts);
  for (const [i, key] of model.keys.entries()) {
    const { accessKeyId, decoy } = real.keys[i]!;
    const statuses = statusesOf[i]!;
    // (2) Nothing the reports did not name is ever changed: the decoy key (and, checked at the end of each sequence,
    // since Keystop never removes one, no policy on the user).
    expect(statuses[decoy], `decoy of key ${i}`).toBe('Active');
    if (!key.deleted) {
      // (1) A key whose strongest report calls for containment, not exempt or held, is Inactive once an invocation succeeded.
      if (key.mustBeInactive) expect(statuses[accessKeyId], `key ${i} must be Inactive`).toBe('Inactive');
      // …and a key no report called to contain is never touched.
      if (key.strongest !== 'contain') expect(statuses[accessKeyId], `key ${i} was only alerted on`).toBe('Active');
      // (5) An exempt key that was Active when it was exempted stays Active, whatever is reported.
      if (key.exempt && key.mustStayActive) expect(statuses[accessKeyId], `key ${i} is exempt`).toBe('Active');
    }
    const about = real.alerts.filter((a) => a.document.alertType === 'response' && a.document.credential?.accessKeyId === accessKeyId);
    const count = (...outcomes: string[]) => about.filter((a) => outcomes.includes(a.attributes.outcome!)).length;
    // (3) One alert per credential and level (plus one per re-enabling, and the at-least-once window), plus failures:
    // at most that many, and at least every containment or "gone" the model expects (an escalation, a key found gone).
    const containAlerts = count('contained', 'gone');
    expect(containAlerts, `containment alerts about key ${i}`).toBeLessThanOrEqual(1 + key.reEnabled + key.repeatAllowance);
    expect(containAlerts, `containment or "gone" alerts due about key ${i}`).toBeGreaterThanOrEqual(key.containAlertsDue);
    expect(count('notified'), `alert-only alerts about key ${i}`).toBeLessThanOrEqual(key.notifiedBudget + key.repeatAllowance);
    // (4) No report ends with neither an alert about its credential nor a failing invocation.
    if (key.answered) expect(about.length, `alerts about key ${i}`).toBeGreaterThan(0);
  }
}
