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
import type { Gate, GateAdmission, StateStore } from './StateStore';

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

  async function admit(accountId: string, principal: string, now: Date): Promise<GateAdmission> {
    const stamp = newStamp();
    try {
      const { Attributes } = await dynamodb.send(
        new UpdateItemCommand({ ...admissionUpdate(settings, accountId, principal, stamp, now), ReturnValues: 'ALL_OLD' }),
      );
      return { kind: 'admitted', added: admissionAdded(Attributes, principal), stamp };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { kind: 'refused' };
    }
  }

  const breaker = dynamoBreaker(dynamodb, settings, sleep);
  return {
    ...dynamoCredentialStore(dynamodb, credentials),
    ...breaker,

    // Two items, two conditional updates in parallel, not a transaction: every containment in an account admits
    // against the same breaker item, and concurrent transactions on one item cancel each other (TransactionConflict)
    // in exactly the burst the breaker is for, where plain updates of it are simply serialised.
    async gate(key, incidentId, admission, now) {
      const [claimed, admitted] = await Promise.allSettled([
        claim(key, incidentId, now),
        admission ? admit(admission.accountId, admission.principal, now) : undefined,
      ]);
      const counted = admitted.status === 'fulfilled' ? admitted.value : ({ kind: 'refused' } as const);
      if (claimed.status === 'rejected') {
        // The table cannot be reached for the claim: a slot taken alongside goes back (best effort) before the error.
        if (admission && counted?.kind === 'admitted' && counted.added) {
          await breaker.giveBack(admission.accountId, admission.principal, counted.stamp).catch(() => undefined);
        }
        throw claimed.reason;
      }
      return { claim: claimed.value, ...(counted ? { admission: counted } : {}) };
    },

    admitAtOnce: (admission, now) => admit(admission.accountId, admission.principal, now).catch(() => ({ kind: 'refused' }) as const),
  };
}
