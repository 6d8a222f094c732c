import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type BreakerSettings, dynamoBreaker } from './dynamoBreaker';
import { type CredentialStoreSettings, DEFAULT_ATTEMPT_LEASE_MS, dynamoCredentialStore } from './dynamoCredentialStore';
import type { StateStore } from './StateStore';

export type StateSettings = BreakerSettings &
  Omit<CredentialStoreSettings, 'attemptLeaseMs'> &
  Partial<Pick<CredentialStoreSettings, 'attemptLeaseMs'>>;

/** The per-credential records and the breaker, in one DynamoDB table. */
export function dynamoStateStore(dynamodb: DynamoDBClient, settings: StateSettings): StateStore {
  return {
    ...dynamoCredentialStore(dynamodb, { attemptLeaseMs: DEFAULT_ATTEMPT_LEASE_MS, ...settings }),
    ...dynamoBreaker(dynamodb, settings),
  };
}
