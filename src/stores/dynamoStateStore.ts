import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../aws/clock';
import { admissionAdded, admissionUpdate, type BreakerSettings, dynamoBreaker, newStamp } from './dynamoBreaker';
import {
  type CredentialStoreSettings,
  claimUpdate,
  DEFAULT_ATTEMPT_LEASE_MS,
  dynamoCredentialStore,
  recordOf,
} from './dynamoCredentialStore';
import { dynamoEstablishedMemo } from './dynamoEstablishedMemo';
import { dynamoTimeline } from './dynamoTimeline';
import { type BreakerSlot, type Gate, type GateAdmission, ORGANISATION, type StateStore, type TakenSlot } from './StateStore';

export type StateSettings = BreakerSettings &
  Omit<CredentialStoreSettings, 'attemptLeaseMs'> &
  Partial<Pick<CredentialStoreSettings, 'attemptLeaseMs'>>;

/** The per-credential records and the breaker, in one DynamoDB table. */
export function dynamoStateStore(dynamodb: DynamoDBClient, settings: StateSettings, sleep: Clock['sleep']): StateStore {
  const credentials = { attemptLeaseMs: DEFAULT_ATTEMPT_LEASE_MS, ...settings };

  async function claim(key: string, incidentId: string, now: Date): Promise<Gate['claim']> {
    const token = randomUUID();
    try {
      await dynamodb.send(new UpdateItemCommand(claimUpdate(credentials, key, incidentId, token, now, { fresh: true })));
      return { kind: 'claimed', token };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const item = error.Item;
      const live = item?.attemptToken?.S !== undefined && Number(item.leaseUntil?.N ?? 0) >= now.getTime();
      if (live) return { kind: 'busy', incidentId: item?.attemptIncident?.S ?? 'unknown' };
      const guarded = recordOf(item, now, { window: 'guard' });
      return { kind: 'settled', record: recordOf(item, now), ...(guarded ? { guarded } : {}) };
    }
  }

  /** One breaker's admission (one conditional update): the slot with the stamp it left, and whether it added it. */
  async function admitOne(
    { accountId, principal }: BreakerSlot,
    now: Date,
  ): Promise<{ admitted: boolean; taken?: TakenSlot; stamp: string }> {
    const stamp = newStamp();
    try {
      const { Attributes } = await dynamodb.send(
        new UpdateItemCommand({ ...admissionUpdate(settings, accountId, principal, stamp, now), ReturnValues: 'ALL_OLD' }),
      );
      return { admitted: true, stamp, ...(admissionAdded(Attributes, principal) ? { taken: { accountId, principal, stamp } } : {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { admitted: false, stamp };
    }
  }

  const breakersOf = (slot: BreakerSlot): BreakerSlot[] =>
    settings.organisationLimit === undefined
      ? [slot]
      : [slot, { accountId: ORGANISATION, principal: `${slot.accountId}/${slot.principal}` }];

  /**
   * The admission by every breaker of the slot, in parallel (one round trip). Never throws: a breaker that cannot be
   * reached refuses (the exact path decides); a slot one breaker added while another refused is reported as taken, to
   * be given back.
   */
  async function admit(slot: BreakerSlot, now: Date): Promise<GateAdmission> {
    const answers = await Promise.allSettled(breakersOf(slot).map((one) => admitOne(one, now)));
    const taken = answers.flatMap((a) => (a.status === 'fulfilled' && a.value.taken ? [a.value.taken] : []));
    const [account] = answers;
    if (account?.status !== 'fulfilled' || answers.some((a) => a.status === 'rejected' || !a.value.admitted)) {
      return { kind: 'refused', ...(taken.length > 0 ? { taken } : {}) };
    }
    return { kind: 'admitted', added: account.value.taken !== undefined, stamp: account.value.stamp, taken };
  }

  const breaker = dynamoBreaker(dynamodb, settings, sleep);
  const timeline = dynamoTimeline(dynamodb, settings);
  return {
    ...dynamoCredentialStore(dynamodb, credentials),
    ...breaker,
    ...dynamoEstablishedMemo(dynamodb, settings),

    breakersOf,

    appendStory(key, entries, guardUntil, now) {
      const keepUntil = Math.max(now.getTime() + credentials.dedupWindowMs, guardUntil === undefined ? 0 : Date.parse(guardUntil));
      return timeline.append(key, entries, new Date(keepUntil));
    },
    story: (key) => timeline.read(key),

    // Two or three items, conditional updates in parallel, not a transaction: every containment in an account admits
    // against the same breaker item (and the organisation's), and concurrent transactions on one item cancel each other
    // (TransactionConflict) in exactly the burst the breaker is for, where plain updates of it are simply serialised.
    async gate(key, incidentId, admission, now) {
      const [claimed, admitted] = await Promise.allSettled([claim(key, incidentId, now), admission ? admit(admission, now) : undefined]);
      const counted: GateAdmission | undefined = admitted.status === 'fulfilled' ? admitted.value : { kind: 'refused' };
      if (claimed.status === 'rejected') {
        // The table cannot be reached for the claim: slots taken alongside go back (best effort) before the error.
        for (const taken of counted?.taken ?? []) {
          await breaker.giveBack(taken.accountId, taken.principal, taken.stamp).catch(() => undefined);
        }
        throw claimed.reason;
      }
      return { claim: claimed.value, ...(counted ? { admission: counted } : {}) };
    },

    admitAtOnce: (admission, now) => admit(admission, now),
  };
}
