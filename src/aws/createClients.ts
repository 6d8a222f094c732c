import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';

export interface ClientOptions {
  region: string;
  /** A local emulator's URL; absent in AWS. */
  endpoint?: string;
  /** Explicit credentials (the sandbox's dummy ones); absent in AWS, where the function's role is used. */
  credentials?: IAMClientConfig['credentials'];
  /** The transport under every client; absent in AWS (the SDK's HTTP handler). The bench passes an instant one. */
  requestHandler?: IAMClientConfig['requestHandler'];
}

/**
 * SDK clients with the SDK's own adaptive retry strategy (bounded attempts, client-side rate limiting under
 * throttling): no retry loops of our own.
 */
export function createClients({ region, endpoint, credentials, requestHandler }: ClientOptions) {
  const common = {
    region,
    maxAttempts: 4,
    retryMode: 'adaptive',
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(requestHandler ? { requestHandler } : {}),
  };
  // IAM is a global service whose API lives in us-east-1 (aws partition).
  // STS in the function's own region (regional endpoint), for assuming member roles.
  return {
    iam: new IAMClient({ ...common, region: 'us-east-1' }),
    sns: new SNSClient(common),
    sts: new STSClient(common),
    dynamodb: new DynamoDBClient(common),
  };
}
export type Clients = ReturnType<typeof createClients>;
