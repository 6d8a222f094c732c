import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { traceAwsCalls } from './traceAwsCalls';

export interface ClientOptions {
  region: string;
  /** A local emulator's URL; absent in AWS. */
  endpoint?: string;
  /** Explicit credentials (the sandbox's dummy ones); absent in AWS, where the function's role is used. */
  credentials?: IAMClientConfig['credentials'];
  /** The transport under every client; absent in AWS (the SDK's HTTP handler). The bench passes an instant one. */
  requestHandler?: IAMClientConfig['requestHandler'];
  /** A named profile of the shared AWS config (the CLI's --profile); absent in AWS. */
  profile?: string;
  /**
   * Makes each client's retry strategy (one per client: an adaptive strategy's rate limiter is per client); absent
   * in AWS, where the SDK's adaptive strategy is built from retryMode. Tests pass the same strategy with shorter
   * backoff.
   */
  makeRetryStrategy?: () => NonNullable<IAMClientConfig['retryStrategy']>;
}

/**
 * SDK clients with the SDK's own adaptive retry strategy (bounded attempts, client-side rate limiting under
 * throttling): no retry loops of our own.
 */
export function createClients({ region, endpoint, credentials, requestHandler, profile, makeRetryStrategy }: ClientOptions) {
  const shared = {
    region,
    maxAttempts: 4,
    retryMode: 'adaptive',
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(requestHandler ? { requestHandler } : {}),
    ...(profile ? { profile } : {}),
  };
  const common = () => ({ ...shared, ...(makeRetryStrategy ? { retryStrategy: makeRetryStrategy() } : {}) });
  // SNS publishes after containment, and STS is only needed for an incident in a member account: each is built at its
  // first use, not at cold start (IAM and DynamoDB, which the containment path calls first, are built here).
  const sns = once(() => traceAwsCalls(new SNSClient(common())));
  // STS in the function's own region (regional endpoint), for assuming member roles.
  const sts = once(() => traceAwsCalls(new STSClient(common())));
  return {
    // IAM is a global service whose API lives in us-east-1 (aws partition).
    // Each call is an X-Ray subsegment when the invocation is traced (tracing: true); otherwise nothing happens.
    iam: traceAwsCalls(new IAMClient({ ...common(), region: 'us-east-1' })),
    get sns(): SNSClient {
      return sns();
    },
    get sts(): STSClient {
      return sts();
    },
    dynamodb: traceAwsCalls(new DynamoDBClient(common())),
    // The audit event goes out after containment and the alert: loaded then, from the Lambda runtime's SDK
    // (serverless.yml esbuild.exclude), which keeps ~50 KB out of every bundle and its cold start.
    eventsClient: once(
      async (): Promise<EventBridgeClient> => traceAwsCalls(new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient(common())),
    ),
    // CloudTrail and Security Hub are regional and an incident names its region: one client per region, on first use.
    // Like Security Hub below: loaded after containment, from the Lambda runtime's SDK, to keep cold start small.
    cloudTrailIn: perRegion(
      async (r): Promise<CloudTrailClient> =>
        traceAwsCalls(new (await import('@aws-sdk/client-cloudtrail')).CloudTrailClient({ ...common(), region: r })),
    ),
    // Loaded on first use, and left out of the bundles (serverless.yml esbuild.exclude: the Lambda Node.js runtime
    // ships the AWS SDK): its schema alone is ~177 KB minified, for a call only Security Hub incidents make.
    securityHubIn: perRegion(
      async (r): Promise<SecurityHubClient> =>
        traceAwsCalls(new (await import('@aws-sdk/client-securityhub')).SecurityHubClient({ ...common(), region: r })),
    ),
  };
}
export type Clients = ReturnType<typeof createClients>;

function once<C>(make: () => C): () => C {
  let made: { client: C } | undefined;
  return () => {
    made ??= { client: make() };
    return made.client;
  };
}

function perRegion<C>(make: (region: string) => C): (region: string) => C {
  const made = new Map<string, C>();
  return (region) => {
    let client = made.get(region);
    if (client === undefined) {
      client = make(region);
      made.set(region, client);
    }
    return client;
  };
}
