import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Clients, createClients } from '../../src/aws/createClients';
import { makeHandler } from '../../src/handlers/makeHandler';
import { createAlertSink, type DeliveredAlert } from '../../src/local/createAlertSink';
import { createStateTable } from '../../src/local/createStateTable';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION, localClients } from '../../src/local/localClients';
import { localDeps } from '../../src/local/localDeps';
import { type LocalAws, startLocalAws } from '../../src/local/startLocalAws';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { type FaultPlan, type FaultProxy, startFaultProxy } from '../support/faultProxy';
import { lambdaContext } from '../support/lambdaContext';
import { MAX_RETRIES } from '../support/lambdaHarness';
import { loadFixture } from '../support/loadFixture';
import { awsEndpoint, keyStatuses, uniqueName, userWithTwoKeys } from '../support/localAws';

const BATCH = 20;
/**
 * A batch takes a few seconds on an idle machine; the margin is for a loaded one (moto alone can take 10 s to start
 * there). After throttling, the SDK's adaptive rate limiter also holds the next requests back for a few seconds.
 */
const BATCH_TIMEOUT_MS = 90_000;

/**
 * The responder's clients as createClients builds them (4 attempts, the SDK's adaptive strategy with its client-side
 * rate limiter), but with the SDK's own backoff option shortened to 1–4 ms between attempts instead of up to
 * 0.1–20 s, so that a batch under faults takes seconds. Only the delays differ; what is retried, how often, and the
 * rate limiting are the SDK's.
 */
function responderClients(endpoint: string): Clients {
  return createClients({
    region: LOCAL_REGION,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    makeRetryStrategy: () =>
      new AdaptiveRetryStrategy(4, {
        maxAttempts: 4,
        backoff: { setDelayBase: () => undefined, computeNextBackoffDelay: (retries: number) => 2 ** retries },
      }),
  });
}

/** What Lambda's on-failure destination receives: an invocation record carrying the event as requestPayload. */
interface FailureRecord {
  requestContext: { condition: string; approximateInvokeCount: number };
  requestPayload: unknown;
  responsePayload: { errorType: string; errorMessage: string };
}

/** The failure destination: a queue on the healthy global emulator, never behind the proxy. */
async function failureDestination() {
  const { sqs } = localClients(awsEndpoint());
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('keystop-failed-events') }));
  return {
    async put(record: object) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(record) }));
    },
    /** Every record in the queue, taken off it. */
    async drain(): Promise<FailureRecord[]> {
      const records: FailureRecord[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
        if (Messages.length === 0) return records;
        records.push(...Messages.map((m) => JSON.parse(m.Body!) as FailureRecord));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
    },
  };
}

type Destination = Awaited<ReturnType<typeof failureDestination>>;

/**
 * Lambda's asynchronous invocation: each attempt gets its own copy of the event as it arrived; a thrown error is
 * retried up to MAX_RETRIES more times (immediately here; Lambda waits about a minute, then two); after the last
 * failure the event goes, untouched, to the on-failure destination inside an invocation record.
 */
interface Delivery {
  /** Whether an invocation succeeded; if not, the event is in the failure queue. */
  delivered: boolean;
  invocations: number;
}

async function invokeAsynchronously(
  handler: (event: unknown, context: any) => Promise<unknown>,
  event: object,
  destination: Destination,
): Promise<Delivery> {
  const payload = JSON.stringify(event);
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= 1 + MAX_RETRIES; attempt++) {
    try {
      await handler(JSON.parse(payload), lambdaContext());
      return { delivered: true, invocations: attempt };
    } catch (error) {
      lastError = error as Error;
    }
  }
  await destination.put({
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:keystop-test-guardduty:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 1 + MAX_RETRIES,
    },
    requestPayload: JSON.parse(payload),
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: lastError!.name, errorMessage: lastError!.message },
  });
  return { delivered: false, invocations: 1 + MAX_RETRIES };
}

/** A GuardDuty finding naming one leaked key, as a distinct event (its own ids). */
function torFinding(userName: string, accessKeyId: string) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.id = randomUUID();
  event.detail.id = randomUUID().replaceAll('-', '');
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  event.detail.resource.accessKeyDetails.userName = userName;
  event.detail.resource.accessKeyDetails.accessKeyId = accessKeyId;
  return event;
}

/**
 * The GuardDuty responder with its clients behind a fault proxy in front of `upstream`. Set-up and read-back go to
 * the emulator directly. The breaker's limit is above the batch: this test is about faults, not the blast radius.
 */
async function responderBehindProxy(upstream: string, plan?: FaultPlan, batch = BATCH) {
  const direct = localClients(upstream);
  const sink = await createAlertSink(direct);
  const tableName = uniqueName('keystop-state');
  await createStateTable(direct.dynamodb, tableName);
  const users = await Promise.all(Array.from({ length: batch }, () => userWithTwoKeys(direct.iam)));
  const proxy = await startFaultProxy(upstream, plan);
  const logger = new Logger({ serviceName: 'keystop-fault-test', logLevel: 'SILENT' });
  const deps = localDeps(proxy.endpoint, {
    topicArn: sink.topicArn,
    clients: responderClients(proxy.endpoint),
    stateTable: tableName,
    // Every event of a batch is a distinct principal: the breaker must not hold any of them back.
    state: { breakerLimit: 10 * BATCH },
    logger,
  });
  const destination = await failureDestination();
  const handler = makeHandler(guardDutySource, deps);
  const invoke = (event: object) => invokeAsynchronously(handler, event, destination);
  return { direct, sink, users, proxy, deps, logger, destination, invoke };
}

/** The access key id each forwarded UpdateAccessKey named. */
const updatedKeys = (proxy: FaultProxy) => proxy.forwarded('UpdateAccessKey').map((r) => new URLSearchParams(r.body).get('AccessKeyId'));

const alertsNaming = (alerts: DeliveredAlert[], key: string) => alerts.filter((a) => a.text.includes(key));
const ONE_CONTAINED_ALERT = [expect.stringMatching(/^Keystop CONTAINED/)];

let aws: LocalAws;
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  // An emulator of this file's own: one test stops it, and the faults must not touch other files' tests.
  aws = await startLocalAws();
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await aws?.stop();
});

describe('fault injection: every event ends contained or in the failure queue, never lost', () => {
  it(
    'absorbs throttling of the first requests in the SDK retries: all contained, one UpdateAccessKey per key',
    async () => {
      // Prepare
      const { direct, sink, users, proxy, destination, invoke } = await responderBehindProxy(aws.endpoint, {
        fault: 'throttle',
        count: 3,
      });
      proxies.push(proxy);

      // Act
      const results: Delivery[] = [];
      for (const { userName, leaked } of users) results.push(await invoke(torFinding(userName, leaked)));

      // Assess
      expect(proxy.requests.filter((r) => r.fate.kind === 'fault')).toHaveLength(3);
      expect(results.every((r) => r.delivered && r.invocations === 1)).toBe(true);
      for (const { userName, leaked, decoy } of users) {
        expect(await keyStatuses(direct.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
      }
      expect(updatedKeys(proxy).sort()).toEqual(users.map((u) => u.leaked).sort());
      const alerts = await sink.drain();
      for (const { leaked } of users) {
        expect(alertsNaming(alerts, leaked).map((a) => a.subject)).toEqual(ONE_CONTAINED_ALERT);
      }
      expect(await destination.drain()).toEqual([]);
    },
    BATCH_TIMEOUT_MS,
  );

  it(
    'absorbs server errors (HTTP 500) of the first requests the same way',
    async () => {
      const { direct, sink, users, proxy, destination, invoke } = await responderBehindProxy(aws.endpoint, {
        fault: 'server-error',
        count: 3,
      });
      proxies.push(proxy);

      const results: Delivery[] = [];
      for (const { userName, leaked } of users) results.push(await invoke(torFinding(userName, leaked)));

      expect(proxy.requests.filter((r) => r.fate.kind === 'fault')).toHaveLength(3);
      expect(results.every((r) => r.delivered && r.invocations === 1)).toBe(true);
      for (const { userName, leaked, decoy } of users) {
        expect(await keyStatuses(direct.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
      }
      expect(updatedKeys(proxy).sort()).toEqual(users.map((u) => u.leaked).sort());
      const alerts = await sink.drain();
      for (const { leaked } of users) expect(alertsNaming(alerts, leaked)).toHaveLength(1);
      expect(await destination.drain()).toEqual([]);
    },
    BATCH_TIMEOUT_MS,
  );

  it(
    'sends an event whose key cannot be deactivated to the failure queue, after a "containment FAILED" alert',
    async () => {
      // Prepare: IAM answers 500 to every UpdateAccessKey of a quarter of the keys; SNS stays reachable
      let failing = new Set<string>();
      const { direct, sink, users, proxy, destination, invoke } = await responderBehindProxy(aws.endpoint, {
        fault: 'server-error',
        count: Infinity,
        matches: ({ operation, body }) =>
          operation === 'UpdateAccessKey' && failing.has(new URLSearchParams(body).get('AccessKeyId') ?? ''),
      });
      proxies.push(proxy);
      failing = new Set(users.filter((_, i) => i % 4 === 0).map((u) => u.leaked));
      const events = users.map(({ userName, leaked }) => torFinding(userName, leaked));

      // Act
      const results: Delivery[] = [];
      for (const event of events) results.push(await invoke(event));

      // Assess: nothing lost — each event contained, or in the failure queue intact with the people told
      const records = await destination.drain();
      const alerts = await sink.drain();
      expect(records).toHaveLength(failing.size);
      users.forEach(({ leaked }, i) => {
        expect(results[i]!.delivered).toBe(!failing.has(leaked));
      });
      for (const [i, { userName, leaked, decoy }] of users.entries()) {
        const statuses = await keyStatuses(direct.iam, userName);
        if (failing.has(leaked)) {
          expect(statuses).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
          const record = records.find((r) => JSON.stringify(r.requestPayload) === JSON.stringify(events[i]));
          expect(record?.requestPayload).toEqual(events[i]);
          expect(record?.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
          expect(record?.responsePayload.errorType).toBe('IncompleteResponseError');
          // Each of the three invocations told the responders it could not contain the key.
          const told = alertsNaming(alerts, leaked);
          expect(told).toHaveLength(1 + MAX_RETRIES);
          for (const alert of told) expect(alert.subject).toMatch(/^Keystop containment FAILED/);
        } else {
          expect(statuses).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
          expect(alertsNaming(alerts, leaked).map((a) => a.subject)).toEqual(ONE_CONTAINED_ALERT);
        }
      }
    },
    BATCH_TIMEOUT_MS,
  );

  it(
    'sends every event after the emulator stopped to the failure queue intact, and drops none',
    async () => {
      // Prepare: an emulator this test stops half-way through the batch
      const doomed = await startLocalAws();
      try {
        const { direct, users, proxy, destination, invoke } = await responderBehindProxy(doomed.endpoint);
        proxies.push(proxy);
        const events = users.map(({ userName, leaked }) => torFinding(userName, leaked));
        const half = BATCH / 2;

        // Act: the first half with the emulator up, read back before it goes, then the rest without it
        const before: Delivery[] = [];
        for (const event of events.slice(0, half)) before.push(await invoke(event));
        const statusesBefore = await Promise.all(users.slice(0, half).map((u) => keyStatuses(direct.iam, u.userName)));
        await doomed.stop();
        const after: Delivery[] = [];
        for (const event of events.slice(half)) after.push(await invoke(event));

        // Assess
        expect(before.every((r) => r.delivered)).toBe(true);
        users.slice(0, half).forEach(({ leaked, decoy }, i) => {
          expect(statusesBefore[i]).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
        });
        expect(after.every((r) => !r.delivered && r.invocations === 1 + MAX_RETRIES)).toBe(true);
        const records = await destination.drain();
        expect(records.map((r) => r.requestPayload)).toEqual(events.slice(half));
        expect(proxy.requests.filter((r) => r.fate.kind === 'unreachable').length).toBeGreaterThan(0);
        // Accounted for: contained before the stop + kept in the failure queue = the whole batch.
        expect(before.filter((r) => r.delivered).length + records.length).toBe(BATCH);
      } finally {
        await doomed.stop();
      }
    },
    BATCH_TIMEOUT_MS,
  );

  it('sends a malformed event to the failure queue intact, logs the parse error, and makes no AWS call but the FAILED alert', async () => {
    // Prepare
    const { proxy, logger, destination, invoke } = await responderBehindProxy(aws.endpoint, undefined, 0);
    proxies.push(proxy);
    const logged = vi.spyOn(logger, 'error');
    const event = torFinding('alice', 'AKIAIOSFODNN7EXAMPLE');
    delete event.detail.resource.accessKeyDetails.userType;

    // Act
    const result = await invoke(event);

    // Assess
    expect(result).toEqual({ delivered: false, invocations: 1 + MAX_RETRIES });
    const records = await destination.drain();
    expect(records.map((r) => r.requestPayload)).toEqual([event]);
    expect(records[0]!.responsePayload.errorType).toBe('MalformedEventError');
    expect(records[0]!.responsePayload.errorMessage).toContain('userType');
    expect(logged).toHaveBeenCalledWith('malformed event: no action taken; the event goes to the failure destination', {
      error: expect.stringContaining('userType'),
    });
    // Nothing is acted on; each attempt tells people (the event came from aws.guardduty and may be a compromise).
    expect(proxy.requests.map((r) => r.operation)).toEqual(Array(1 + MAX_RETRIES).fill('Publish'));
  });
});
