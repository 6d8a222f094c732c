import { randomUUID } from 'node:crypto';
import { CreateAccessKeyCommand, CreateUserCommand, type IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { inject } from 'vitest';
import type { ActivitySettings } from '../../src/aws/Config';
import type { MemberRole } from '../../src/aws/clientsForAccounts';
import type { DepsSettings } from '../../src/aws/createDeps';
import { defaultGuardrails, type Guardrails } from '../../src/decide/Guardrails';
import type { ResponsePolicy } from '../../src/decide/ResponsePolicy';
import { createAlertSink } from '../../src/local/createAlertSink';
import { createStateTable } from '../../src/local/createStateTable';
import { LOCAL_ACCOUNT_ID, localClients } from '../../src/local/localClients';
import { localDeps } from '../../src/local/localDeps';
import type { Enricher } from '../../src/report/activity/Enricher';
import type { Deps } from '../../src/respond/Deps';
import type { StateSettings } from '../../src/stores/dynamoStateStore';

/** The emulator started by globalSetup. */
export const awsEndpoint = () => inject('awsEndpoint');

export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A call a client sent, with its input, and where its sending and its answer fall among all calls' events. */
export interface RecordedRequest {
  call: string;
  input: Record<string, unknown>;
  /** Position in the clients' common order of events (a send or an answer): sent… */
  sentAt?: number;
  /** …and answered (or failed); undefined while in flight. */
  answeredAt?: number;
}

/**
 * The sequential round trips among `requests` (in the order sent): a request sent after an answer of the current
 * round came back starts the next round. What precedes the first `until` call is what its caller waited for.
 */
export function roundTrips(requests: readonly RecordedRequest[], until: string): string[][] {
  const end = requests.findIndex((r) => r.call === until);
  const rounds: RecordedRequest[][] = [];
  for (const request of requests.slice(0, end < 0 ? requests.length : end)) {
    const current = rounds.at(-1);
    const waited = current?.some((r) => r.answeredAt !== undefined && r.answeredAt < request.sentAt!);
    if (current === undefined || waited) rounds.push([request]);
    else current.push(request);
  }
  return rounds.map((round) => round.map((r) => r.call));
}

/** The recorded calls but the state table's: what the responder does to accounts and whom it tells. */
// The state table's calls and the audit event (after every alert; see alertsAndAudit.test.ts) set aside.
export const iamAndSns = (calls: string[]) => calls.filter((call) => !call.startsWith('DynamoDB:') && !call.startsWith('EventBridge:'));

/** Every AWS operation a set of clients sends, in order, e.g. "IAM:UpdateAccessKey"; `requests` also gets the inputs. */
function recordCalls(
  clients: Record<string, { middlewareStack: any; config: any }>,
  requests: RecordedRequest[] = [],
  /** Shared with a mocked client's recorder, to see the order across both. */
  calls: string[] = [],
): string[] {
  let events = 0;
  for (const [service, client] of Object.entries(clients)) {
    client.middlewareStack.add(
      (next: any, context: any) => async (args: any) => {
        const call = `${service}:${String(context.commandName).replace(/Command$/, '')}`;
        calls.push(call);
        const request: RecordedRequest = { call, input: { ...args.input }, sentAt: events++ };
        requests.push(request);
        try {
          return await next(args);
        } finally {
          request.answeredAt = events++;
        }
      },
      { step: 'initialize', name: `record-${service}` },
    );
  }
  return calls;
}

/** Real SDK clients over HTTP to the emulator, an alert topic with a subscribed queue, and deps wired to them. */
export async function localResponder(
  options: {
    guardrails?: Partial<Guardrails>;
    policies?: readonly ResponsePolicy[];
    memberRole?: MemberRole;
    state?: Partial<StateSettings> | false;
    auditBus?: string;
    /** By default the emulator's answer: LookupEvents is not implemented there. */
    enricher?: Enricher;
    activity?: Partial<ActivitySettings>;
    /** Where the responder's AWS calls are noted (to interleave them with a mocked client's). */
    calls?: string[];
    /** The tamper guard's window (0: no guard; a repeat report then reads the key's status). */
    guardWindowMs?: number;
    /** Where what a contained key made is read besides the creation log (a local CloudTrail); none by default. */
    eventHistory?: DepsSettings['eventHistory'];
  } = {},
) {
  const endpoint = awsEndpoint();
  const clients = localClients(endpoint);
  const sink = await createAlertSink(clients);
  // The responder gets clients of its own, so that what it sends can be recorded apart from the test's set-up.
  const responderClients = localClients(endpoint);
  const { iam, sns, sts, dynamodb } = responderClients;
  const events = await responderClients.eventsClient();
  const requests: RecordedRequest[] = [];
  const calls = recordCalls({ IAM: iam, SNS: sns, STS: sts, DynamoDB: dynamodb, EventBridge: events }, requests, options.calls);
  const tableName = uniqueName('keystop-state');
  await createStateTable(clients.dynamodb, tableName);
  // Every responder under test writes its metrics, as in Lambda, here to a list the test can read.
  const emf: string[] = [];
  const deps: Deps = localDeps(endpoint, {
    topicArn: sink.topicArn,
    stateTable: options.state === false ? undefined : (options.state?.tableName ?? tableName),
    // The emulator creates every principal now, so every user of a test is "young" to the breaker: tests of a storm over
    // established principals switch that rule off; test/integration/breakerShelter.test.ts plays it on.
    state: { youngPrincipalMs: 0, ...(options.state || {}) },
    metrics: { stage: 'test', write: (line) => emf.push(line) },
    clients: responderClients,
    ...(options.enricher ? { enricher: options.enricher } : {}),
    auditBus: options.auditBus,
    activity: options.activity,
    memberRole: options.memberRole,
    guardrails: { ...defaultGuardrails, accounts: { own: LOCAL_ACCOUNT_ID, members: [] }, ...options.guardrails },
    policies: options.policies,
    ...(options.guardWindowMs === undefined ? {} : { guardWindowMs: options.guardWindowMs }),
    ...(options.eventHistory === undefined ? {} : { eventHistory: options.eventHistory }),
  });
  return { endpoint, clients, responderClients, sink, deps, calls, requests, tableName, emf };
}

/**
 * An IAM user with two active keys: the one an event will name, and a decoy that must stay untouched. The decoy is
 * created first, so IAM (and the emulator, which lists keys in creation order) lists it first: code that acted on "the
 * user's first key" instead of the named one changes the decoy, and the test's decoy assertion fails.
 */
export async function userWithTwoKeys(iam: IAMClient, userName = uniqueName('alice')) {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const decoy = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!;
  const leaked = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!;
  return { userName, leaked, decoy };
}

/** Each key of a user with its status, as IAM has it now. */
export async function keyStatuses(iam: IAMClient, userName: string): Promise<Record<string, string>> {
  const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return Object.fromEntries(AccessKeyMetadata.map((k) => [k.AccessKeyId!, k.Status!]));
}
