import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeliveredAlert } from '../../src/local/createAlertSink';
import { createStateTable } from '../../src/local/createStateTable';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { dynamoStateStore } from '../../src/stores/dynamoStateStore';
import { ORGANISATION } from '../../src/stores/StateStore';
import { type Delivery, lambdaHarness } from '../support/lambdaHarness';
import { localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { memberAccountIam } from '../support/memberAccountIam';
import { reportAbout } from '../support/reports';

/**
 * Model-based test of the two breakers over random multi-account storms: reports (alone and two at once) about keys in
 * three member accounts, resets of an account's breaker and of the organisation's. After every step: no more principals
 * cut off automatically since a breaker's last reset than its limit (an account's: its share of the organisation's,
 * lower than breakerLimit), a containment held only while a breaker is full, and one organisation alert per opening. KEYSTOP_MODEL_RUNS sets the number of sequences (default 20 here).
 */
const RUNS = Math.max(1, Math.round(Number(process.env.KEYSTOP_MODEL_RUNS ?? 200) / 10));
const MEMBERS = ['222200000011', '222200000012', '222200000013'];
const KEYS_PER_ACCOUNT = 2;
const ACCOUNT_LIMIT = 2;
const ORG_LIMIT = 4;
/** An account's share of the organisation's breaker: floor((4 - 1) / 3), below ACCOUNT_LIMIT, so it is what binds. */
const SHARE = 1;
const memberRole = { name: 'KeystopMember', externalId: 'keystop-test-external-id' };

interface Key {
  accountId: string;
  userName: string;
  accessKeyId: string;
}

interface Model {
  /** Principals cut off automatically since the organisation's breaker was last reset… */
  sinceOrgReset: Set<string>;
  /** …and since each account's was. */
  sinceAccountReset: Map<string, Set<string>>;
  orgResets: number;
}

interface Real {
  keys: Key[];
  harness: ReturnType<typeof lambdaHarness>;
  sink: Awaited<ReturnType<typeof localResponder>>['sink'];
  alerts: DeliveredAlert[];
}

function finding({ accountId, userName, accessKeyId }: Key, id: string) {
  const event = reportAbout('guardduty-tor', { userName, accessKeyId }, id);
  event.detail.accountId = accountId;
  return event;
}

async function settle(model: Model, real: Real, deliveries: Delivery[]) {
  const state = real.harness.deps.state!;
  const now = real.harness.deps.now();
  for (const delivery of deliveries) {
    for (const response of delivery.responses) {
      const credential = response.incident?.credential;
      if (credential?.kind !== 'long-term-key') continue;
      const accountId = response.incident!.accountId;
      const principal = `${accountId}/user/${credential.userName}`;
      if (response.outcome === 'contained' && (response.reason === 'matched' || response.reason === 'escalated')) {
        model.sinceOrgReset.add(principal);
        model.sinceAccountReset.set(accountId, (model.sinceAccountReset.get(accountId) ?? new Set()).add(principal));
      }
      if (response.reason === 'breaker-open' || response.reason === 'still-held') {
        const [account, org] = [await state.breakerStatus(accountId, now), await state.breakerStatus(ORGANISATION, now)];
        expect(account.limit, "an account's limit is its share of the organisation's").toBe(SHARE);
        expect(account.count >= SHARE || org.count >= ORG_LIMIT, 'held while both breakers had room').toBe(true);
      }
    }
  }
  real.alerts.push(...(await real.sink.drain()));
  expect(model.sinceOrgReset.size, 'cut off across the organisation since its reset').toBeLessThanOrEqual(ORG_LIMIT);
  for (const [accountId, principals] of model.sinceAccountReset) {
    expect(principals.size, `cut off in ${accountId} since its reset (its share)`).toBeLessThanOrEqual(SHARE);
  }
  const orgAlerts = real.alerts.filter((a) => a.attributes.breaker === 'organisation');
  expect(orgAlerts.length, 'organisation breaker alerts').toBeLessThanOrEqual(model.orgResets + 1);
}

class Report implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    await settle(model, real, [await real.harness.deliver(finding(real.keys[this.key]!, uniqueName('r')))]);
  }
  toString = () => `report(key ${this.key})`;
}

class AtOnce implements fc.AsyncCommand<Model, Real> {
  constructor(readonly keys: [number, number]) {}
  check = () => this.keys[0] !== this.keys[1];
  async run(model: Model, real: Real) {
    const deliveries = await Promise.all(
      this.keys.map((k, n) => real.harness.deliver(finding(real.keys[k]!, uniqueName('c')), { retries: 0, container: n === 0 ? 0 : 1 })),
    );
    await settle(model, real, deliveries);
  }
  toString = () => `at once: report(key ${this.keys[0]}) ∥ report(key ${this.keys[1]})`;
}

class Reset implements fc.AsyncCommand<Model, Real> {
  constructor(readonly account: number | 'organisation') {}
  check = () => true;
  async run(model: Model, real: Real) {
    const state = real.harness.deps.state!;
    if (this.account === 'organisation') {
      await state.resetBreaker(ORGANISATION);
      model.sinceOrgReset.clear();
      model.orgResets++;
    } else {
      await state.resetBreaker(MEMBERS[this.account]!);
      model.sinceAccountReset.delete(MEMBERS[this.account]!);
    }
    await settle(model, real, []);
  }
  toString = () => `keystop breaker reset ${this.account === 'organisation' ? '--org' : `--account ${MEMBERS[this.account]}`}`;
}

const keyIndex = fc.integer({ min: 0, max: MEMBERS.length * KEYS_PER_ACCOUNT - 1 });
const commands = [
  keyIndex.map((k) => new Report(k)),
  keyIndex.map((k) => new Report(k)),
  fc.tuple(keyIndex, keyIndex).map(([a, b]) => new AtOnce([a, b])),
  fc.integer({ min: 0, max: MEMBERS.length - 1 }).map((a) => new Reset(a)),
  fc.constant(new Reset('organisation')),
];

describe('Model: the account and organisation breakers over random multi-account storms (emulated member accounts)', () => {
  it(`bounds every storm by both limits over ${RUNS} sequences`, async () => {
    const local = await localResponder({
      memberRole,
      guardrails: { accounts: { own: LOCAL_ACCOUNT_ID, members: MEMBERS } },
      state: { breakerLimit: ACCOUNT_LIMIT, organisationLimit: ORG_LIMIT },
    });
    const { iam, sns, sts, dynamodb } = local.responderClients;
    const harness = lambdaHarness(local.deps, { IAM: iam, SNS: sns, STS: sts, DynamoDB: dynamodb });
    const memberIam = await Promise.all(MEMBERS.map((accountId) => memberAccountIam(accountId, local.endpoint, local.clients.sts)));
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 8 }), async (sequence) => {
        const tableName = uniqueName('keystop-storm');
        await createStateTable(local.clients.dynamodb, tableName);
        harness.use(
          dynamoStateStore(
            dynamodb,
            {
              tableName,
              dedupWindowMs: 24 * 3600_000,
              breakerLimit: ACCOUNT_LIMIT,
              breakerWindowMs: 3600_000,
              organisationLimit: ORG_LIMIT,
              // The emulator made every user now: the rule on young principals is off (a storm over established ones).
              youngPrincipalMs: 0,
            },
            local.deps.sleep,
          ),
        );
        const keys: Key[] = [];
        for (const [i, accountId] of MEMBERS.entries()) {
          for (let k = 0; k < KEYS_PER_ACCOUNT; k++) {
            const { userName, leaked } = await userWithTwoKeys(memberIam[i]!);
            keys.push({ accountId, userName, accessKeyId: leaked });
          }
        }
        await local.sink.drain();
        const model: Model = { sinceOrgReset: new Set(), sinceAccountReset: new Map(), orgResets: 0 };
        await fc.asyncModelRun(() => ({ model, real: { keys, harness, sink: local.sink, alerts: [] } }), sequence);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
