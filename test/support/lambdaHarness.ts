import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { makeHandler } from '../../src/handlers/makeHandler';
import type { Deps } from '../../src/respond/Deps';
import { eventSourceFor, noSourceSettings, type SourceSettings } from '../../src/sources/eventSources';
import { recentlyContained } from '../../src/stores/recentlyContained';
import { lambdaContext } from './lambdaContext';
import { clockStart } from './testClock';

/** Lambda retries a failed asynchronous invocation twice, about one and then two minutes later. */
export const MAX_RETRIES = 2;
const RETRY_DELAYS_MS = [60_000, 120_000];

/**
 * A fault armed for the next matching call: `hang` stands for a call that never answers, so the invocation times
 * out (Lambda stops it there: nothing after it runs); the others are errors IAM, SNS or DynamoDB answer with.
 */
export interface Fault {
  call: string;
  /** `limit`: IAM's LimitExceeded, e.g. a principal whose inline-policy quota an attacker filled. */
  kind: 'hang' | 'throttle' | 'denied' | 'unavailable' | 'limit';
  /** How many matching calls it hits (default 1). */
  times?: number;
  /** Only calls whose input matches, e.g. one key's UpdateAccessKey. */
  when?: (input: Record<string, any>) => boolean;
  /** Only calls after this invocation published an alert (the window between the alert and its record). */
  afterAlert?: boolean;
}

export interface Delivery {
  /** Whether some attempt succeeded; otherwise the event went to the failure destination. */
  succeeded: boolean;
  responses: IncidentResponse[];
  attempts: number;
  errors: unknown[];
}

interface Invocation {
  frozen: boolean;
  alerted: boolean;
  timedOut: () => void;
}

const never = () => new Promise<never>(() => undefined);

function errorOf(kind: Exclude<Fault['kind'], 'hang'>): Error {
  const [name, message] = {
    throttle: ['ThrottlingException', 'Rate exceeded'],
    denied: ['AccessDenied', 'User is not authorized to perform this action with an explicit deny in a service control policy'],
    unavailable: ['ServiceUnavailable', 'Service Unavailable'],
    limit: ['LimitExceededException', 'Maximum policy size of 2048 bytes exceeded for user'],
  }[kind];
  const httpStatusCode = { denied: 403, limit: 409 }[kind as 'denied' | 'limit'] ?? 503;
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

/**
 * Runs events as Lambda's asynchronous invocation does: each attempt on its own (a timed-out attempt is frozen
 * where it hung and makes no further call, as Lambda stops it), failed attempts retried later on a clock the
 * responder reads (`deps.now`), and faults injected into the responder's own clients.
 */
export function lambdaHarness(
  baseDeps: Deps,
  clients: Record<string, { middlewareStack: any }>,
  start = clockStart(),
  /** The deployment's source settings (honey keys, the tamper guard's responders). */
  sources: SourceSettings = noSourceSettings,
) {
  let now = start;
  const clock = {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
  let deps: Deps = { ...baseDeps, now: () => new Date(now), busyWaitMs: 200 };
  // Two Lambda containers, each with its own memory of what it answered (a container runs one invocation at a time).
  let containers = [recentlyContained(), recentlyContained()];
  const invocations = new AsyncLocalStorage<Invocation>();
  const faults: (Fault & { left: number })[] = [];

  for (const [service, client] of Object.entries(clients)) {
    client.middlewareStack.add(
      (next: any, context: any) => async (args: any) => {
        const invocation = invocations.getStore();
        if (invocation?.frozen) return never();
        const call = `${service}:${String(context.commandName).replace(/Command$/, '')}`;
        const fault = faults.find(
          (f) => f.left > 0 && f.call === call && (f.when?.(args.input) ?? true) && (!f.afterAlert || invocation?.alerted),
        );
        if (fault) {
          fault.left--;
          if (fault.kind !== 'hang') throw errorOf(fault.kind);
          if (invocation) {
            invocation.frozen = true;
            invocation.timedOut();
          }
          return never();
        }
        const result = await next(args);
        if (call === 'SNS:Publish' && invocation) invocation.alerted = true;
        return result;
      },
      { step: 'initialize', name: `harness-${service}` },
    );
  }

  /** One attempt; a hang ends it as Lambda's time-out would. */
  async function attempt(
    event: unknown,
    container = 0,
  ): Promise<{ ok: true; responses: IncidentResponse[] } | { ok: false; error: unknown }> {
    const handler = makeHandler(eventSourceFor(event, sources)!, { ...deps, recent: containers[container]! });
    let timedOut!: () => void;
    const timeout = new Promise<{ ok: false; error: unknown }>((resolve) => {
      timedOut = () => resolve({ ok: false, error: new Error('Task timed out') });
    });
    const invocation: Invocation = { frozen: false, alerted: false, timedOut };
    const run = invocations.run(invocation, () =>
      handler(event, lambdaContext()).then(
        (responses) => ({ ok: true, responses }) as const,
        (error: unknown) => ({ ok: false, error }) as const,
      ),
    );
    return Promise.race([run, timeout]);
  }

  return {
    get deps() {
      return deps;
    },
    /** Another state table (a fresh history), for the next sequence of a model run. */
    use(state: NonNullable<Deps['state']>) {
      deps = { ...deps, state };
      containers = [recentlyContained(), recentlyContained()];
    },
    clock,
    arm(fault: Fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    disarm() {
      faults.length = 0;
    },
    /** Delivers an event with Lambda's retries; what the last attempt answered, or every attempt's error. */
    async deliver(event: unknown, options: { retries?: number; container?: 0 | 1 } = {}): Promise<Delivery> {
      const errors: unknown[] = [];
      const retries = options.retries ?? MAX_RETRIES;
      for (let n = 0; n <= retries; n++) {
        if (n > 0) clock.advance(RETRY_DELAYS_MS[n - 1] ?? 120_000);
        const result = await attempt(event, options.container);
        if (result.ok) return { succeeded: true, responses: result.responses, attempts: n + 1, errors };
        errors.push(result.error);
      }
      return { succeeded: false, responses: [], attempts: retries + 1, errors };
    },
    /** One attempt only, at the clock's current time. */
    once: attempt,
  };
}
