import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { ActionResult } from '../../actions/ContainmentAction';
import { clientsForAccounts } from '../../aws/clientsForAccounts';
import { createClients } from '../../aws/createClients';
import { defaultGuardrails, type Guardrails } from '../../decide/Guardrails';
import type { ResponsePolicy } from '../../decide/ResponsePolicy';
import { type CredentialIncident, principalNameOf } from '../../domain/CredentialIncident';
import { IncompleteResponseError, MalformedEventError, messageOf } from '../../domain/errors';
import type { IncidentResponse, Outcome, ResponseReason } from '../../domain/IncidentResponse';
import { makeHandler } from '../../handlers/makeHandler';
import { applyRecordedCall, isReplayedCall, type ReplayedCall } from '../../local/applyRecordedCall';
import { CredentialSeeder, type PrincipalState } from '../../local/CredentialSeeder';
import { createAlertSink, type DeliveredAlert } from '../../local/createAlertSink';
import { createStateTable } from '../../local/createStateTable';
import { LOCAL_ACCOUNT_ID, LOCAL_FINDING_UPDATE_UNAVAILABLE, LOCAL_REGION, localClients } from '../../local/localClients';
import { localDeps } from '../../local/localDeps';
import { startLocalAws } from '../../local/startLocalAws';
import { type EmittedMetric, emittedMetrics } from '../../metrics/readEmfLines';
import { unavailableFindingUpdater } from '../../report/audit/securityHubFindingUpdater';
import type { Deps } from '../../respond/Deps';
import { CloudTrailApiCallEvent } from '../../sources/CloudTrailApiCallEvent';
import type { EventSource } from '../../sources/EventSource';
import { eventSourceFor, noSourceSettings, type SourceSettings } from '../../sources/eventSources';
import { parseEvent } from '../../sources/parseEvent';
import { type NamedEvent, unrecognizedEvent } from '../input/readEvents';
import { lambdaContext } from './lambdaContext';

/** What Keystop did with one event in the sandbox. The JSON contract of `keystop sandbox --json`. */
export interface SandboxReport {
  event: string;
  outcome: Outcome;
  reason: string;
  explanation: string;
  incident: CredentialIncident | null;
  policy: string | null;
  actions: ActionResult[];
  principals: PrincipalState[];
  /** The seeded principals just before Keystop ran on the event, to show what it changed. */
  principalsBefore: PrincipalState[];
  /**
   * A recorded IAM call (a CloudTrail record of iam.amazonaws.com the tamper guard watches) is first made on the emulator
   * as its caller made it in AWS, then Keystop runs on its record: what was done, and the principals before the call.
   */
  recordedCall?: ReplayedCall & { principalsBefore: PrincipalState[] };
  notifications: DeliveredAlert[];
  /** Which key the sandbox created for each key id the event named (ids in the rest of the report are the seeded ones). */
  seededKeys: { original: string; seeded: string }[];
  /** With `metrics: true`: the CloudWatch metrics the event produced, as the Lambda function writes them (EMF). */
  metrics?: EmittedMetric[];
  /** When one event carries several incidents (Security Hub), the responses to the others. */
  more?: Omit<SandboxReport, 'event' | 'principals' | 'principalsBefore' | 'recordedCall' | 'notifications' | 'seededKeys' | 'more'>[];
}

/**
 * The sandbox plays an organisation: Keystop runs in moto's default account and reaches every other account an event
 * names through this member role, as a deployment with `memberAccounts: '*'` would. Each principal is seeded in the
 * account its incident names (moto keeps accounts apart by the credentials of the call), so containment in another
 * account goes through AssumeRole as in AWS.
 */
const SANDBOX_MEMBER_ROLE = { name: 'KeystopMember', externalId: 'keystop-sandbox' };

export interface SandboxOptions {
  /** An emulator already running; otherwise one is started and stopped. */
  endpoint?: string;
  /** Without `accounts`, every account is a member account (see SANDBOX_MEMBER_ROLE). */
  guardrails?: Guardrails;
  /** Log lines from the responder, as Lambda would write them. */
  verbose?: boolean;
  /** The deployment's source settings (honey keys), as the events name them; none by default. */
  sourceSettings?: SourceSettings;
  /** The deployment's policies (its policiesFile); the shipped set by default. */
  policies?: readonly ResponsePolicy[];
  /** A state table of this name (created unless it exists, kept afterwards); by default a fresh one per run. */
  stateTable?: string;
  /** The deployment's breaker; the stack's defaults otherwise. */
  breaker?: { limit: number; windowMinutes: number };
  /** Report the metrics each event produced. */
  metrics?: boolean;
}

/**
 * "What would Keystop do with this event?" — without a real account: on a local emulator, seed what the event names,
 * run the event through the Lambda handler's code path, and read back the state and the alerts.
 */
/** The stack's defaults: a day's de-duplication window, at most 10 automatic containments per account an hour. */
export async function runSandbox(events: NamedEvent[], options: SandboxOptions = {}): Promise<SandboxReport[]> {
  const emulator = options.endpoint ? undefined : await startLocalAws();
  const endpoint = options.endpoint ?? emulator!.endpoint;
  try {
    const clients = localClients(endpoint);
    const sink = await createAlertSink(clients);
    // A state table of its own, as the stack has one: repeats of a credential show as duplicates.
    // A named table (--state-table) is kept and reused across runs, so `keystop incidents` can read what they did.
    const tableName = options.stateTable ?? `keystop-state-sandbox-${randomUUID().slice(0, 8)}`;
    await createStateTable(clients.dynamodb, tableName).catch((error: unknown) => {
      if (!(options.stateTable && error instanceof ResourceInUseException)) throw error;
    });
    const seedClients = clientsForAccounts({
      ownAccountId: LOCAL_ACCOUNT_ID,
      own: { iam: clients.iam },
      memberRole: SANDBOX_MEMBER_ROLE,
      sts: () => clients.sts,
      iamWith: (credentials) => createClients({ region: LOCAL_REGION, endpoint, credentials }).iam,
    });
    const iamIn = (accountId: string) => seedClients({ id: 'keystop-sandbox-seed', accountId }).iam;
    const seeder = new CredentialSeeder(iamIn);
    const guardrails = options.guardrails ?? defaultGuardrails;
    const emf: string[] = [];
    const deps = localDeps(endpoint, {
      topicArn: sink.topicArn,
      stateTable: tableName,
      ...(options.breaker
        ? { state: { breakerLimit: options.breaker.limit, breakerWindowMs: options.breaker.windowMinutes * 60_000 } }
        : {}),
      ...(options.metrics ? { metrics: { stage: 'sandbox', write: (line: string) => emf.push(line) } } : {}),
      memberRole: SANDBOX_MEMBER_ROLE,
      guardrails: {
        ...guardrails,
        accounts: guardrails.accounts ?? { own: LOCAL_ACCOUNT_ID, members: ['*'] },
        ownRoles: guardrails.ownRoles ?? { functionRoleNames: [], memberRoleName: SANDBOX_MEMBER_ROLE.name },
      },
      findingUpdater: unavailableFindingUpdater(LOCAL_FINDING_UPDATE_UNAVAILABLE),
      logger: new Logger({ serviceName: 'keystop', logLevel: options.verbose ? 'INFO' : 'SILENT' }),
      ...(options.policies ? { policies: options.policies } : {}),
    });
    const reports: SandboxReport[] = [];
    for (const { name, event } of events) {
      const { responses, before, recordedCall } = await runOne(event, seeder, iamIn, deps, options.sourceSettings ?? noSourceSettings);
      const [first, ...rest] = responses;
      const seededHere = new Set(responses.map((r) => (r.incident?.credential as { accessKeyId?: string } | undefined)?.accessKeyId));
      // A key id the event's text names (a recorded call's key, the key it created) is this event's too.
      const named = (original: string) => seededHere.has(seeder.keyIds.get(original)) || JSON.stringify(event).includes(original);
      // The seeder holds every principal of the run: each report shows only its own event's.
      const after = await seeder.state();
      const ours = principalsOfEvent(responses, recordedCall, before, after);
      reports.push({
        event: name,
        ...summary(first!),
        seededKeys: [...seeder.keyIds].filter(([original]) => named(original)).map(([original, seeded]) => ({ original, seeded })),
        principals: after.filter(ours),
        principalsBefore: before.filter(ours),
        ...(recordedCall ? { recordedCall: { ...recordedCall, principalsBefore: recordedCall.principalsBefore.filter(ours) } } : {}),
        notifications: await sink.drain(),
        ...(options.metrics ? { metrics: emittedMetrics(emf.splice(0)) } : {}),
        ...(rest.length > 0 ? { more: rest.map(summary) } : {}),
      });
    }
    return reports;
  } finally {
    await emulator?.stop();
  }
}

/**
 * The principals one event is about: those its incidents name, the one its recorded call named, and any it changed
 * (a key the contained key had made, deactivated by follow-created). Returned as a test of a principal's state.
 */
function principalsOfEvent(
  responses: IncidentResponse[],
  recordedCall: OneRun['recordedCall'],
  before: PrincipalState[],
  after: PrincipalState[],
): (p: PrincipalState) => boolean {
  const id = (p: { accountId: string; kind: string; name: string }) => `${p.accountId}/${p.kind}/${p.name}`;
  const states = (list: PrincipalState[]) => new Map(list.map((p) => [id(p), JSON.stringify(p)]));
  const earlier = [states(before), ...(recordedCall ? [states(recordedCall.principalsBefore)] : [])];
  const incidents = responses.flatMap((r) => (r.incident ? [r.incident] : []));
  const kept = new Set(
    after
      .filter(
        (p) =>
          incidents.some((incident) => incident.accountId === p.accountId && principalNameOf(incident.credential) === p.name) ||
          (recordedCall?.principal !== undefined && id(recordedCall.principal) === id(p)) ||
          earlier.some((states) => states.get(id(p)) !== JSON.stringify(p)),
      )
      .map(id),
  );
  return (p) => kept.has(id(p));
}

function summary(response: IncidentResponse) {
  return {
    outcome: response.outcome,
    reason: response.reason,
    explanation: response.explanation,
    incident: response.incident,
    policy: response.policy ?? null,
    actions: response.actions,
  };
}

interface OneRun {
  responses: IncidentResponse[];
  before: PrincipalState[];
  recordedCall?: SandboxReport['recordedCall'];
}

async function runOne(
  event: unknown,
  seeder: CredentialSeeder,
  iamIn: (accountId: string) => IAMClient,
  deps: Deps,
  settings: SourceSettings,
): Promise<OneRun> {
  const source = eventSourceFor(event, settings);
  if (source === undefined) {
    const detail = unrecognizedEvent(event);
    return { responses: [failure('ignored', 'not-a-credential-finding', detail)], before: await seeder.state() };
  }
  let before: PrincipalState[] = [];
  let recordedCall: OneRun['recordedCall'];
  try {
    // Seed what the event names (parsed and adapted purely, no AWS call), then run the rewritten event for real.
    // A malformed event seeds nothing, but still runs: the handler's answer to it (a FAILED alert) is part of the report.
    const adapted = adaptForSeeding(source, event);
    if (adapted?.kind === 'incidents') for (const incident of adapted.incidents) await seeder.seed(incident);
    recordedCall = await replayRecordedCall(event, seeder, iamIn);
    before = await seeder.state();
    // The event runs with its keys replaced by the seeded ones, so the honey keys it is judged by are replaced too.
    const seeded = { ...settings, honeyKeys: settings.honeyKeys.map((key) => seeder.keyIds.get(key) ?? key) };
    const handler = makeHandler(eventSourceFor(event, seeded)!, deps);
    return { responses: await handler(seeder.rewrite(event), lambdaContext('keystop-sandbox')), before, recordedCall };
  } catch (error) {
    const responses =
      error instanceof IncompleteResponseError
        ? error.responses
        : error instanceof MalformedEventError
          ? [failure('failed', 'malformed-event', error.message)]
          : [failure('failed', 'error', messageOf(error))];
    return { responses, before, recordedCall };
  }
}

/**
 * A CloudTrail record of an IAM call the tamper guard watches is replayed on the emulator first (the key set Active, the
 * policy deleted), so that Keystop's response to it acts on a real change, as it would in AWS.
 */
async function replayRecordedCall(
  event: unknown,
  seeder: CredentialSeeder,
  iamIn: (accountId: string) => IAMClient,
): Promise<OneRun['recordedCall']> {
  const parsed = CloudTrailApiCallEvent.safeParse(event);
  if (!parsed.success || !isReplayedCall(parsed.data.detail)) return undefined;
  const { detail, account } = parsed.data;
  let principalsBefore: PrincipalState[] | undefined;
  const call = await applyRecordedCall(detail, detail.recipientAccountId ?? account, seeder, iamIn, async () => {
    principalsBefore = await seeder.state();
  });
  return { ...call, principalsBefore: principalsBefore ?? (await seeder.state()) };
}

function adaptForSeeding(source: EventSource, event: unknown) {
  try {
    return source.adapt(parseEvent(source.name, source.schema, event));
  } catch (error) {
    if (error instanceof MalformedEventError) return undefined;
    throw error;
  }
}

function failure(outcome: Outcome, reason: ResponseReason, explanation: string): IncidentResponse {
  return { outcome, reason, explanation, incident: null, policy: undefined, actions: [] };
}
