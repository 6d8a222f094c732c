import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';

/** What goes wrong, and for which requests. */
type Fault = 'throttle' | 'server-error' | 'expired-token' | 'access-denied';

/** One request as the proxy saw it: the AWS operation, its raw body, and what happened to it. */
interface ProxiedRequest {
  /** e.g. "UpdateAccessKey" (Query protocols: the Action field) or "DynamoDB_20120810.PutItem" (JSON: X-Amz-Target). */
  operation: string;
  body: string;
  /** `forwarded` with the emulator's status, a fault answered by the proxy, or `unreachable` (the emulator is gone). */
  fate: { kind: 'forwarded'; status: number } | { kind: 'fault'; fault: Fault } | { kind: 'unreachable' };
}

export interface FaultPlan {
  fault: Fault;
  /** How many of the matching requests get the fault before the proxy forwards them; Infinity for all. */
  count: number;
  /** Which requests the fault applies to; all by default. */
  matches?: (request: { operation: string; body: string }) => boolean;
}

export interface FaultProxy {
  endpoint: string;
  /** Every request received, in arrival order. */
  requests: ProxiedRequest[];
  /** The requests the emulator answered (what reached AWS state), optionally of one operation. */
  forwarded(operation?: string): ProxiedRequest[];
  stop(): Promise<void>;
}

/** Requests larger than this are refused: the proxy is for SDK calls, never bulk data. */
const MAX_BODY_BYTES = 1_000_000;
/** The proxy stops itself after this long even if a test forgets to, so no test leaves a listener behind. */
const MAX_LIFETIME_MS = 120_000;

/**
 * A local HTTP proxy on 127.0.0.1 in front of the emulator that answers AWS-shaped faults for the first `count`
 * matching requests and forwards the rest. A request the emulator cannot take (it was stopped) gets its connection
 * dropped, as a vanished endpoint would do.
 */
export async function startFaultProxy(upstream: string, plan?: FaultPlan): Promise<FaultProxy> {
  const target = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  let faultsLeft = plan?.count ?? 0;

  const server = createServer(async (req, res) => {
    const raw = await readBody(req).catch(() => undefined);
    if (raw === undefined) {
      res.writeHead(413).end();
      return;
    }
    const body = raw.toString('utf8');
    const operation = operationOf(req, body);
    if (plan && faultsLeft > 0 && (plan.matches?.({ operation, body }) ?? true)) {
      faultsLeft -= 1;
      requests.push({ operation, body, fate: { kind: 'fault', fault: plan.fault } });
      answerFault(res, plan.fault, isJsonProtocol(req));
      return;
    }
    const seen: ProxiedRequest = { operation, body, fate: { kind: 'unreachable' } };
    requests.push(seen);
    const upstreamRequest = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamResponse) => {
        seen.fate = { kind: 'forwarded', status: upstreamResponse.statusCode ?? 0 };
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => req.socket.destroy());
    upstreamRequest.end(raw);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fault proxy has no port');
  const lifetime = setTimeout(() => void close(), MAX_LIFETIME_MS);
  lifetime.unref();

  let closing: Promise<void> | undefined;
  function close() {
    clearTimeout(lifetime);
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  }

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    requests,
    forwarded: (operation) => requests.filter((r) => r.fate.kind === 'forwarded' && (operation === undefined || r.operation === operation)),
    stop: close,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const isJsonProtocol = (req: IncomingMessage) => typeof req.headers['x-amz-target'] === 'string';

function operationOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target;
  return new URLSearchParams(body).get('Action') ?? `${req.method} ${req.url}`;
}

/** The error each protocol's AWS endpoint sends: Query XML (IAM, SNS, STS) or JSON with x-amzn-ErrorType (DynamoDB). */
function answerFault(res: ServerResponse, fault: Fault, json: boolean) {
  const requestId = randomUUID();
  const [status, code, message, type, jsonType] = {
    throttle: [400, 'Throttling', 'Rate exceeded', 'Sender', 'ThrottlingException'],
    'server-error': [500, 'InternalFailure', 'We encountered an internal error. Please try again.', 'Receiver', 'InternalServerError'],
    'expired-token': [403, 'ExpiredToken', 'The security token included in the request is expired', 'Sender', 'ExpiredTokenException'],
    'access-denied': [
      403,
      'AccessDenied',
      'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListAccessKeys',
      'Sender',
      'AccessDeniedException',
    ],
  }[fault] as [number, string, string, string, string];
  if (json) {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-errortype': jsonType,
      'x-amzn-requestid': requestId,
    });
    res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${jsonType}`, message }));
    return;
  }
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(
    `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}
