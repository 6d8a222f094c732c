import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';

/** The X-Ray daemon's UDP protocol: a header line, then one segment document per datagram. */
const DAEMON_HEADER = '{"format": "json", "version": 1}\n';

/** What a traced call reports: enough for X-Ray to draw it as a remote AWS call on the invocation's timeline. */
export interface AwsCallSubsegment {
  type: 'subsegment';
  id: string;
  trace_id: string;
  parent_id: string;
  name: string;
  namespace: 'aws';
  start_time: number;
  end_time: number;
  aws: { operation: string; region?: string; request_id?: string; retries?: number };
  http?: { response: { status: number } };
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
}

/** The invocation's trace, from the header Lambda sets per invocation; undefined when it is not sampled. */
export function sampledTraceOf(header: string | undefined): { traceId: string; parentId: string } | undefined {
  const fields = Object.fromEntries((header ?? '').split(';').map((part) => part.trim().split('=') as [string, string]));
  if (fields.Sampled !== '1' || !fields.Root || !fields.Parent) return undefined;
  return { traceId: fields.Root, parentId: fields.Parent };
}

export interface TraceOptions {
  env?: NodeJS.ProcessEnv;
  /** Where datagrams go; by default a UDP socket to AWS_XRAY_DAEMON_ADDRESS. */
  send?: (datagram: string, address: string) => void;
}

const MIDDLEWARE_NAME = 'keystopXRaySubsegment';

interface SmithyClient {
  config: { serviceId?: string; region?: unknown };
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void; remove(name: string): boolean };
}

/**
 * Adds an X-Ray subsegment for each AWS call of the client, retries included, when the invocation is sampled (X-Ray
 * active tracing on: `tracing: true`). It writes the documents to the X-Ray daemon Lambda runs, as the X-Ray SDK
 * does, without the SDK (~120 KB with the Powertools Tracer: docs/operations.md). Not sampled: nothing is sent.
 * Tracing never fails or delays a call: a datagram is fire-and-forget.
 */
type ResponseMetadata = { requestId?: string; httpStatusCode?: number; attempts?: number };

export function traceAwsCalls<C extends SmithyClient>(client: C, options: TraceOptions = {}): C {
  const env = options.env ?? process.env;
  const send = options.send ?? udpSend;
  // Configured again (tests point a client at their own daemon): the last configuration wins.
  client.middlewareStack.remove(MIDDLEWARE_NAME);
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<{ output?: { $metadata?: ResponseMetadata } }>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const trace = sampledTraceOf(env._X_AMZN_TRACE_ID);
        const address = env.AWS_XRAY_DAEMON_ADDRESS;
        if (trace === undefined || !address) return next(args);
        // The wall clock, not deps.now: X-Ray places a subsegment by the time its daemon and AWS stamp (src/aws/clock.ts).
        const start = Date.now() / 1000;
        // The resolved config holds the region as a provider function.
        const configured = client.config.region;
        const region =
          typeof configured === 'function' ? await (configured as () => Promise<unknown>)().catch(() => undefined) : configured;
        const subsegment = (metadata: { requestId?: string; httpStatusCode?: number; attempts?: number } | undefined) => ({
          type: 'subsegment' as const,
          id: randomBytes(8).toString('hex'),
          trace_id: trace.traceId,
          parent_id: trace.parentId,
          name: client.config.serviceId ?? 'AWS',
          namespace: 'aws' as const,
          start_time: start,
          end_time: Date.now() / 1000,
          aws: {
            operation: String(context.commandName ?? 'unknown').replace(/Command$/, ''),
            ...(typeof region === 'string' ? { region } : {}),
            ...(metadata?.requestId ? { request_id: metadata.requestId } : {}),
            ...(metadata?.attempts && metadata.attempts > 1 ? { retries: metadata.attempts - 1 } : {}),
          },
          ...(metadata?.httpStatusCode ? { http: { response: { status: metadata.httpStatusCode } } } : {}),
        });
        try {
          const output = await next(args);
          emit(send, address, subsegment(output?.output?.$metadata));
          return output;
        } catch (error) {
          const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
          const status = metadata?.httpStatusCode ?? 0;
          emit(send, address, {
            ...subsegment(metadata),
            ...(status === 429 ? { throttle: true, error: true } : status >= 400 && status < 500 ? { error: true } : { fault: true }),
          });
          throw error;
        }
      },
    { step: 'initialize', name: MIDDLEWARE_NAME },
  );
  return client;
}

function emit(send: NonNullable<TraceOptions['send']>, address: string, subsegment: AwsCallSubsegment) {
  try {
    send(DAEMON_HEADER + JSON.stringify(subsegment), address);
  } catch {
    // A trace is worth less than the call it describes.
  }
}

let socket: Socket | undefined;

/** AWS_XRAY_DAEMON_ADDRESS is `host:port` (Lambda: 169.254.79.129:2000). */
function udpSend(datagram: string, address: string) {
  const colon = address.lastIndexOf(':');
  // Loaded here, not imported at the top: only a traced invocation sends, and the module is not loaded at cold start.
  socket ??= process.getBuiltinModule('node:dgram').createSocket('udp4').unref();
  socket.send(datagram, Number(address.slice(colon + 1)), address.slice(0, colon));
}
