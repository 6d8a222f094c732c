import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protectKeystopScp } from '../../src/aws/protectKeystopScp';
import { createStateTable } from '../../src/local/createStateTable';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { dynamoStateStore } from '../../src/stores/dynamoStateStore';
import {
  type AttackModel,
  type AttackReal,
  checkInvariants,
  checkMadeContained,
  createRoleAtKeystopPath,
  createUser,
  deleteDenyPolicy,
  fillBreaker,
  fillInlineQuota,
  getCreatedUserReported,
  type MoveName,
  moves,
  reEnableLeakedKey,
  reportLeaked,
  tagItselfExempt,
} from '../support/attackerCommands';
import { approveVictimFinding, noteUpdatedByKeystop, retypeVictimFinding } from '../support/attackerFindingMoves';
import { lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { allowEverything, simulate } from '../support/simulatePolicy';

/**
 * Model-based test of the attacker who plays back (issue 29): whoever holds payroll-sync's leaked key moves between
 * the reports — creates users and roles (at Keystop's path too) and gets them reported, tags itself exempt, retypes
 * Security Hub findings about other users' keys, forges a note, fills its inline-policy quota, approves others'
 * findings with the custom action, re-enables its key, deletes the deny — through the real handlers against the
 * emulator, with breakerLimit 2. After every step: payroll-sync's decoy key and every victim stay untouched, the leaked
 * key stays contained once reported, and no report about the leaked key or anything the attacker made is held by the
 * breaker. Each sequence ends with GuardDuty reporting the leaked key: it must end contained.
 *
 * KEYSTOP_ATTACK_RUNS sets the number of sequences (default 100; the minimum reach of each move is asserted from 100 on);
 * KEYSTOP_ATTACK_SEED and KEYSTOP_ATTACK_PATH replay a failure fast-check reported.
 */
const RUNS = Number(process.env.KEYSTOP_ATTACK_RUNS ?? 100);
const MAX_COMMANDS = 6;
/** The least share of sequences that must play each move: a weighting that stops reaching one fails the test. */
const MINIMUM_SHARE = 0.06;
const STAGE = 'test';

const victim = fc.integer({ min: 0, max: 1 });
const commands = [
  fc.constantFrom('guardduty-tor' as const, 'securityhub-tor' as const, 'health-exposed' as const).map(reportLeaked),
  fc.constant(null).map(createUser),
  fc.constant(null).map(createUser),
  fc.constant(null).map(getCreatedUserReported),
  fc.constant(null).map(getCreatedUserReported),
  fc.constant(null).map(fillBreaker),
  fc.constantFrom('/keystop/x/', `/keystop/${STAGE}/`, '/keystop/').map(createRoleAtKeystopPath),
  fc.constant(null).map(tagItselfExempt),
  victim.map(retypeVictimFinding),
  fc.constant(null).map(noteUpdatedByKeystop),
  fc.constant(null).map(fillInlineQuota),
  victim.map(approveVictimFinding),
  fc.constant(null).map(reEnableLeakedKey),
  fc.constant(null).map(deleteDenyPolicy),
];

describe('Model: the attacker plays back (issue 29), against the emulator', () => {
  it(
    `keeps the leaked key contained and everyone else untouched over ${RUNS} sequences of attacker moves and reports`,
    async () => {
      // The SCP `keystop scp` produces for this deployment, asked once (iam-simulate): may a role the attacker made at
      // /keystop/ tag its user exempt? The model applies the tag only if it may.
      const scp = protectKeystopScp({
        partition: 'aws',
        securityAccount: LOCAL_ACCOUNT_ID,
        stage: STAGE,
        memberRoleName: 'KeystopMember',
        securityRoles: [],
        deployers: [],
      });
      const underScp = (principal: string, action: string, resource: string, context: Record<string, string | string[]> = {}) =>
        simulate({ principal, action, resource, identityPolicies: [allowEverything], serviceControlPolicies: [scp], context });
      const exemptTag = { 'aws:TagKeys': ['keystop:exempt'], 'aws:RequestTag/keystop:exempt': 'true' };
      const payrollArn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/payroll-sync`;
      const attackerPivot = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/keystop/x/pivot`;
      // A role at Keystop's own stage path may tag (it is Keystop's): the attacker may not create one there.
      const stagePivot = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/keystop/${STAGE}/pivot`;
      const scpAllowsExemptTag =
        (await underScp(attackerPivot, 'iam:TagUser', payrollArn, exemptTag)) === 'Allowed' ||
        ((await underScp(payrollArn, 'iam:CreateRole', stagePivot)) === 'Allowed' &&
          (await underScp(stagePivot, 'iam:TagUser', payrollArn, exemptTag)) === 'Allowed');
      // One responder, topic and queue for all sequences; each gets its own state table and users.
      const local = await localResponder({ state: { breakerLimit: 2 } });
      const { iam, sns, dynamodb } = local.responderClients;
      const harness = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb });
      // One state table for all sequences. The creation log decides here (youngPrincipalMs 0: the emulator made every
      // user now, the victims too).
      const tableName = uniqueName('keystop-attack');
      await createStateTable(local.clients.dynamodb, tableName);
      const settings = { tableName, dedupWindowMs: 24 * 3600_000, breakerLimit: 2, breakerWindowMs: 3600_000, youngPrincipalMs: 0 };
      const store = dynamoStateStore(dynamodb, settings, local.deps.sleep);
      harness.use(store);
      // Reports arrive one at a time here: the breaker's second look (for a concurrent attempt's slot) need not wait.
      harness.onPause(async () => undefined);
      // The victims serve every sequence: no move may change them, so one that did fails the sequence it happened in.
      const victims = await Promise.all([0, 1].map(() => userWithTwoKeys(local.clients.iam, uniqueName('victim'))));
      const reached = Object.fromEntries(moves.map((move) => [move, 0])) as Record<MoveName, number>;
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'medium' }), async (sequence) => {
          // A fresh breaker; the records and the creation log are keyed by this sequence's own keys and names.
          await store.resetBreaker(LOCAL_ACCOUNT_ID);
          harness.disarm();
          const payroll = await userWithTwoKeys(local.clients.iam, uniqueName('payroll-sync'));
          await local.sink.drain();
          const model: AttackModel = { reported: false };
          const real: AttackReal = {
            harness,
            iam: local.clients.iam,
            sink: local.sink,
            payroll,
            victims,
            made: new Set(),
            unreported: [],
            reached: new Set(),
            breakerCount: async () => (await store.breakerStatus(LOCAL_ACCOUNT_ID, local.deps.now())).count,
            scpAllowsExemptTag,
          };
          await fc.asyncModelRun(() => ({ model, real }), sequence);
          // The world reports the leaked key once more at the end: whatever the attacker did, it ends contained.
          await reportLeaked('guardduty-tor').run(model, { ...real, reached: new Set() });
          expect((await keyStatuses(local.clients.iam, payroll.userName))[payroll.leaked], 'the leaked key at the end').toBe('Inactive');
          await checkInvariants(model, real, { policies: true });
          await checkMadeContained(real);
          harness.disarm();
          for (const move of real.reached) reached[move]++;
        }),
        {
          numRuns: RUNS,
          endOnFailure: true,
          ...(process.env.KEYSTOP_ATTACK_SEED
            ? { seed: Number(process.env.KEYSTOP_ATTACK_SEED), path: process.env.KEYSTOP_ATTACK_PATH }
            : {}),
        },
      );

      console.info(`attacker model, ${RUNS} sequences played:\n${moves.map((move) => `  ${move}: ${reached[move]}`).join('\n')}`);
      expect(scpAllowsExemptTag, 'the SCP lets a role the attacker can create tag its user exempt').toBe(false);
      if (RUNS < 100) return;
      for (const move of moves) {
        expect(reached[move], `sequences that played ${move}`).toBeGreaterThanOrEqual(Math.ceil(MINIMUM_SHARE * RUNS));
      }
    },
    60_000 + RUNS * 10_000,
  );
});
