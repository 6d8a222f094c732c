/**
 * Runs one bench scenario in a process of its own, with the Lambda function's environment, so that the responder's
 * log lines go where Lambda's go (stdout, here discarded) and its memory is measured apart from the bench's.
 * Reports one JSON result over IPC. Scenarios: `instant` (in-process transport), `emulator`, `rtt` (against the
 * emulator behind a proxy that adds a fixed round-trip time), `burst` (against the emulator) and `burst-instant` (the
 * same burst with the in-process transport: what Keystop's own code can do).
 */
import { performance } from 'node:perf_hooks';
import { CreateAccessKeyCommand, CreateUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import { depsFromEnvironment } from '../src/aws/productionDeps';
import { makeHandler } from '../src/handlers/makeHandler';
import { createAlertSink } from '../src/local/createAlertSink';
import { createStateTable } from '../src/local/createStateTable';
import { LOCAL_ACCOUNT_ID, localClients } from '../src/local/localClients';
import type { EventSource } from '../src/sources/EventSource';
import { eventSources } from '../src/sources/eventSources';
import { recentlyContained } from '../src/stores/recentlyContained';
import { type ProxiedRequest, roundsOf, startLatencyProxy } from './latencyProxy';
import { httpTransport, instantTransport, recording, type SentRequest } from './recordingTransport';
import { benchKeyId, burstReports, firstReports, type LeakedKey, type Report } from './reports';
import { type Summary, seededRandom, shuffle, summarize } from './stats';

export interface LatencyResult {
  scenario: 'instant' | 'emulator';
  events: number;
  /** Handler entry → the first IAM write (the containment request) handed to the transport, in ms. */
  toContainment: Summary;
  /** The very first event of the process (first use of the SDK clients), in ms. */
  firstEvent: number;
  /** Whole invocation (containment, alert, log), in ms. */
  invocation: Summary;
  /** The requests each event sends before its containment request (the first event's, e.g. `IAM:ListUserTags`). */
  before: string[];
  sources: string[];
}

export interface BurstResult {
  scenario: 'burst' | 'burst-instant';
  events: number;
  credentials: number;
  concurrency: number;
  reportKinds: Record<string, number>;
  seconds: number;
  eventsPerSecond: number;
  /** Every request the responder sent, by operation. */
  requests: Record<string, number>;
  iamWrites: number;
  containmentWrites: number;
  alertsPublished: number;
  alertsDelivered: number;
  outcomes: Record<string, number>;
  failedInvocations: number;
  retriedInvocations: number;
  /** Read back from the emulator; absent for the in-process run, where nothing holds state. */
  namedKeysInactive?: number;
  decoysActive?: number;
  /** CPU time (user + system) of the process per event during the burst, in ms: the cost of Keystop's code. */
  cpuMsPerEvent: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  sources: string[];
}

/** What one invocation sent through the latency proxy, times relative to the handler's entry, in RTT units. */
export interface RoundTripEvent {
  requests: { api: string; round: number; sent: number; answered: number }[];
  /** Handler entry → the containment write's answer, in RTTs; absent when the event sent no containment write. */
  toContainmentAcknowledged?: number;
  /** The containment write's round minus one: the sequential round trips that precede it. */
  roundsBeforeWrite?: number;
  /** Handler entry → return, in RTTs. */
  invocation: number;
  outcome: string;
}

export interface RoundTripResult {
  scenario: 'rtt';
  rttMs: number;
  /** KEYSTOP_EXEMPT_TAG as the run had it ('' = exemptions by name/ARN only). */
  exemptTag: string;
  /** A fresh report about a credential of its own, then the same event delivered again (EventBridge's at-least-once). */
  first: RoundTripEvent[];
  /** The same event again, to the container that answered it (a warm Lambda container). */
  duplicate: RoundTripEvent[];
  /** The same event again, to a container that never saw the credential (another Lambda container). */
  elsewhere: RoundTripEvent[];
  /** The source's later notification of the report (GuardDuty, Security Hub), to a container that never saw it. */
  later: RoundTripEvent[];
  sources: string[];
}

export type WorkerResult = LatencyResult | BurstResult | RoundTripResult;

/** An IAM write is any IAM call that is not a read; the first one of an event is its containment request. */
export const isIamWrite = (operation: string) => operation.startsWith('IAM:') && !/^IAM:(Get|List|Simulate|Generate)/.test(operation);
const isContainment = (operation: string) =>
  /^IAM:(UpdateAccessKey|PutUserPolicy|PutRolePolicy|AttachUserPolicy|AttachRolePolicy|DeleteLoginProfile)$/.test(operation);

const [scenario = '', countArg, concurrencyArg] = process.argv.slice(2);
const count = Number(countArg);

// Lambda runs nodejs24.x; on the local Node 20 the SDK only warns that it will need Node 22 in 2027.
process.removeAllListeners('warning');

// Against the emulator, alerts go to a real topic with a subscribed queue, so deliveries can be counted.
const inProcess = scenario === 'instant' || scenario === 'burst-instant';
const local = inProcess ? undefined : localClients(process.env.AWS_ENDPOINT_URL!);
const sink = local ? await createAlertSink(local) : undefined;
// `rtt`: the responder reaches the emulator through a proxy that holds every answer back a fixed time (bench setup
// goes to the emulator directly, at loopback speed).
const rttMs = Number(process.env.BENCH_RTT_MS ?? 25);
const proxy = scenario === 'rtt' ? await startLatencyProxy(process.env.AWS_ENDPOINT_URL!, rttMs) : undefined;
if (proxy) process.env.AWS_ENDPOINT_URL = proxy.endpoint;
if (sink) process.env.KEYSTOP_ALERT_TOPIC_ARN = sink.topicArn;
// The state table the function's environment names (de-duplication, breaker), as the stack would create it.
if (local) {
  await createStateTable(local.dynamodb, process.env.KEYSTOP_STATE_TABLE!).catch((error: Error) => {
    if (error.name !== 'ResourceInUseException') throw error;
  });
}

const sent: SentRequest[] = [];
// In-process, a user's keys are those the made-up keys below give it (bench-user-<i>).
const madeUpKeysOf = (userName: string) => {
  const i = Number(/^bench-user-(\d+)$/.exec(userName)?.[1] ?? -1);
  if (i < 0) return [];
  return scenario === 'instant' ? [benchKeyId(i)] : [benchKeyId(2 * i), benchKeyId(2 * i + 1)];
};
const transport = recording(inProcess ? instantTransport(madeUpKeysOf) : httpTransport(), (request) => sent.push(request));
const deps = depsFromEnvironment(process.env, { requestHandler: transport });
// No honey keys are configured: CloudTrail's incidents are uses of honey keys, which the bench's leaked keys are not.
const sourcesOnMain = eventSources();
const handlers = new Map<EventSource, ReturnType<typeof makeHandler>>();
const sourceOf = (event: unknown) => {
  const raw = event as { source?: unknown; 'detail-type'?: unknown };
  const source = sourcesOnMain.find((s) => s.recognizes(raw));
  if (!source) throw new Error(`no source recognizes ${String(raw.source)}`);
  return source;
};
const handlerFor = (event: unknown) => {
  const source = sourceOf(event);
  if (!handlers.has(source)) handlers.set(source, makeHandler(source, deps));
  return handlers.get(source)!;
};
/** The handler of another Lambda container: the same wiring, but its own memory of what it answered. */
const elsewhereFor = (event: unknown) => makeHandler(sourceOf(event), { ...deps, recent: recentlyContained() });
const sources = sourcesOnMain.filter((s) => firstReports[s.name]).map((s) => s.name);

const result: WorkerResult = scenario.startsWith('burst')
  ? await burst(count, Number(concurrencyArg))
  : scenario === 'rtt'
    ? await roundTrips(count)
    : await latency(count);
await proxy?.close();
process.send!(result, () => process.exit(0));

/**
 * Each event through the latency proxy, one at a time: a fresh report about a credential of its own, then the same
 * event again (a duplicate). Every request is recorded with its send and answer times, so that the sequential round
 * trips are counted from what happened, not from what the code is meant to do.
 */
async function roundTrips(events: number): Promise<RoundTripResult> {
  const keys = await seededKeys(events);
  const first: RoundTripEvent[] = [];
  const duplicate: RoundTripEvent[] = [];
  const elsewhere: RoundTripEvent[] = [];
  const later: RoundTripEvent[] = [];
  for (const [i, key] of keys.entries()) {
    const report = firstReports[sources[i % sources.length]!]!(key);
    first.push(await throughProxy(report.event, handlerFor(report.event)));
    duplicate.push(await throughProxy(report.event, handlerFor(report.event)));
    elsewhere.push(await throughProxy(report.event, elsewhereFor(report.event)));
    if (report.later) later.push(await throughProxy(report.later, elsewhereFor(report.later)));
  }
  return { scenario: 'rtt', rttMs, exemptTag: process.env.KEYSTOP_EXEMPT_TAG ?? '', first, duplicate, elsewhere, later, sources };
}

async function throughProxy(event: unknown, handler: ReturnType<typeof makeHandler>): Promise<RoundTripEvent> {
  const already = proxy!.requests.length;
  const entry = performance.now();
  const responses = await handler(event, lambdaContext());
  const end = performance.now();
  // Requests of this invocation, in the order they were sent (the proxy records them as they are answered).
  const own: ProxiedRequest[] = proxy!.requests
    .slice(already)
    .filter((r) => r.sentAt >= entry && r.sentAt <= end)
    .sort((a, b) => a.sentAt - b.sentAt);
  const rounds = roundsOf(own);
  const write = own.findIndex((r) => isContainment(r.api));
  const inRtt = (at: number) => (at - entry) / rttMs;
  return {
    requests: own.map((r, i) => ({ api: r.api, round: rounds[i]!, sent: inRtt(r.sentAt), answered: inRtt(r.answeredAt) })),
    ...(write >= 0 && { toContainmentAcknowledged: inRtt(own[write]!.answeredAt), roundsBeforeWrite: rounds[write]! - 1 }),
    invocation: inRtt(end),
    outcome: responses.map((r) => r.outcome).join(', '),
  };
}

/** Events one at a time, each naming a credential of its own, timed from handler entry to the containment request. */
async function latency(events: number): Promise<LatencyResult> {
  const keys = scenario === 'instant' ? madeUpKeys(events) : await seededKeys(events);
  // Round-robin over the sources: each event is a fresh report about a key of its own.
  const reports = keys.map((key, i) => firstReports[sources[i % sources.length]!]!(key));
  const toContainment: number[] = [];
  const invocation: number[] = [];
  let before: string[] = [];
  for (const [i, report] of reports.entries()) {
    const handler = handlerFor(report.event);
    sent.length = 0;
    const entry = performance.now();
    await handler(report.event, lambdaContext());
    const end = performance.now();
    const containment = sent.find((r) => isIamWrite(r.operation));
    if (!containment) throw new Error(`event ${i} sent no IAM write: ${sent.map((r) => r.operation).join(', ')}`);
    toContainment.push(containment.at - entry);
    invocation.push(end - entry);
    if (i === 0) before = sent.slice(0, sent.indexOf(containment)).map((r) => r.operation);
  }
  return {
    scenario: scenario as 'instant' | 'emulator',
    events,
    toContainment: summarize(toContainment),
    firstEvent: toContainment[0]!,
    invocation: summarize(invocation),
    before,
    sources,
  };
}

/** Many reports of fewer credentials, several invocations at a time, against the emulator; then AWS's state. */
async function burst(credentials: number, concurrency: number): Promise<BurstResult> {
  // Each user has the leaked key and a decoy key that must stay Active.
  const users = local ? await seedUsers(credentials, 'burst') : madeUpUsers(credentials);
  const leaked = users.map((u, i): LeakedKey => ({ accountId: LOCAL_ACCOUNT_ID, userName: u.userName, accessKeyId: u.keys[i % 2]! }));
  const reports: Report[] = leaked.flatMap((key) => burstReports(key, new Set(sources)));
  const queue = shuffle(reports, seededRandom(8));
  const reportKinds: Record<string, number> = {};
  for (const r of queue) reportKinds[r.kind] = (reportKinds[r.kind] ?? 0) + 1;

  sent.length = 0;
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);

  // Lambda's async invocation: a failed event is retried (up to the function's MaximumRetryAttempts), later.
  const maxRetries = Number(process.env.BENCH_MAX_RETRIES ?? 2);
  const outcomes: Record<string, number> = {};
  let failedInvocations = 0;
  let retriedInvocations = 0;
  let pending = queue.map((report) => ({ report, attempt: 0 }));
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  while (pending.length > 0) {
    const retry: typeof pending = [];
    let next = 0;
    const lane = async () => {
      while (next < pending.length) {
        const item = pending[next++]!;
        try {
          const responses = await handlerFor(item.report.event)(item.report.event, lambdaContext());
          for (const r of responses) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
        } catch {
          failedInvocations++;
          if (item.attempt < maxRetries) retry.push({ report: item.report, attempt: item.attempt + 1 });
          else outcomes['failed (after retries)'] = (outcomes['failed (after retries)'] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    retriedInvocations += retry.length;
    pending = retry;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const { maxRSS } = process.resourceUsage();

  const requests: Record<string, number> = {};
  for (const r of sent) requests[r.operation] = (requests[r.operation] ?? 0) + 1;
  const delivered = sink ? await sink.drain() : [];
  const states = local
    ? await Promise.all(
        users.map(async (u) => {
          const { AccessKeyMetadata = [] } = await local.iam.send(new ListAccessKeysCommand({ UserName: u.userName }));
          return AccessKeyMetadata;
        }),
      )
    : undefined;
  const status = (userIndex: number, keyId: string) => states?.[userIndex]?.find((k) => k.AccessKeyId === keyId)?.Status;
  return {
    scenario: scenario as BurstResult['scenario'],
    events: queue.length,
    credentials,
    concurrency,
    reportKinds,
    seconds,
    eventsPerSecond: queue.length / seconds,
    requests,
    iamWrites: sent.filter((r) => isIamWrite(r.operation)).length,
    containmentWrites: sent.filter((r) => isContainment(r.operation)).length,
    alertsPublished: requests['SNS:Publish'] ?? 0,
    alertsDelivered: delivered.length,
    outcomes,
    failedInvocations,
    retriedInvocations,
    ...(states && {
      namedKeysInactive: leaked.filter((k, i) => status(i, k.accessKeyId) === 'Inactive').length,
      decoysActive: users.filter((u, i) => status(i, u.keys[(i + 1) % 2]!) === 'Active').length,
    }),
    cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / queue.length,
    rssBeforeMiB: rssBefore / 2 ** 20,
    peakRssMiB: Math.max(peakRss, maxRSS * 1024) / 2 ** 20,
    peakHeapMiB: peakHeap / 2 ** 20,
    sources,
  };
}

function madeUpKeys(n: number): LeakedKey[] {
  return Array.from({ length: n }, (_, i) => ({ accountId: LOCAL_ACCOUNT_ID, userName: `bench-user-${i}`, accessKeyId: benchKeyId(i) }));
}

function madeUpUsers(n: number): { userName: string; keys: string[] }[] {
  return Array.from({ length: n }, (_, i) => ({ userName: `bench-user-${i}`, keys: [benchKeyId(2 * i), benchKeyId(2 * i + 1)] }));
}

/** Real keys on the emulator, two per user, each named by one event. */
async function seededKeys(n: number): Promise<LeakedKey[]> {
  const users = await seedUsers(Math.ceil(n / 2), 'latency');
  return users
    .flatMap((u) => u.keys.map((accessKeyId) => ({ accountId: LOCAL_ACCOUNT_ID, userName: u.userName, accessKeyId })))
    .slice(0, n);
}

/** Users with two active keys each, created a few at a time. */
async function seedUsers(n: number, prefix: string): Promise<{ userName: string; keys: string[] }[]> {
  const { iam } = local!;
  const run = Date.now().toString(36);
  const users: { userName: string; keys: string[] }[] = new Array(n);
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const i = next++;
      const userName = `bench-${prefix}-${run}-${i}`;
      await iam.send(new CreateUserCommand({ UserName: userName }));
      const keys: string[] = [];
      for (let k = 0; k < 2; k++) {
        keys.push((await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!);
      }
      users[i] = { userName, keys };
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return users;
}

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'keystop-bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT_ID}:function:keystop-bench`,
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: '/aws/lambda/keystop-bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
