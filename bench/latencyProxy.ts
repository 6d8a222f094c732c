import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One AWS request as the proxy saw it, on this process's performance.now() clock. */
export interface ProxiedRequest {
  /** `IAM:UpdateAccessKey`, `DynamoDB:TransactWriteItems`, `SNS:Publish`, … */
  api: string;
  /** When the request reached the proxy: the responder had sent it. */
  sentAt: number;
  /** When the proxy handed the answer back: the responder has it (after the added round-trip time). */
  answeredAt: number;
}

export interface LatencyProxy {
  /** Point the SDK here (`AWS_ENDPOINT_URL`). */
  endpoint: string;
  /** Every request answered so far, in the order they were sent. */
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the local emulator that makes every AWS request cost a fixed round trip: the answer is
 * held back `rttMs` (the emulator's own time comes on top). On loopback a request costs a few ms, in AWS tens of ms
 * from a Lambda function to IAM: with a fixed RTT the number of sequential round trips becomes visible in the time,
 * and a figure in RTT units no longer depends on the machine.
 */
export async function startLatencyProxy(target: string, rttMs: number): Promise<LatencyProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const sentAt = performance.now();
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = httpRequest(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const wait = Math.max(0, sentAt + rttMs - performance.now());
            setTimeout(() => {
              outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
              outgoing.end(Buffer.concat(parts));
              requests.push({
                api: apiOf(incoming.headers, body, `${incoming.method} ${incoming.url}`),
                sentAt,
                answeredAt: performance.now(),
              });
            }, wait);
          });
        },
      );
      forward.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The API a request calls: the `X-Amz-Target` header for JSON protocols (DynamoDB), the `Action` form field for the
 * query protocol (IAM, SNS, STS), else the method and path (REST protocols: Security Hub); the service from the
 * signature's credential scope.
 */
export function apiOf(headers: Record<string, string | string[] | undefined>, body: Buffer, route: string): string {
  const authorization = String(headers.authorization ?? '');
  const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(authorization)?.[1] ?? 'unknown';
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', action = target] = target.split('.');
    return `${prefix.startsWith('DynamoDB') ? 'DynamoDB' : service.toUpperCase()}:${action}`;
  }
  const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? route;
  return `${service.toUpperCase()}:${action}`;
}

/**
 * Sequential round trips, from the recorded send and answer times: a request sent after another's answer arrived is
 * in a later round. Returns each request's round (1: sent without waiting for any answer), in the order given.
 */
export function roundsOf(requests: readonly ProxiedRequest[]): number[] {
  const bySending = [...requests.keys()].sort((a, b) => requests[a]!.sentAt - requests[b]!.sentAt);
  const rounds: number[] = new Array(requests.length).fill(1);
  for (const i of bySending) {
    for (const j of bySending) {
      if (requests[j]!.answeredAt <= requests[i]!.sentAt) rounds[i] = Math.max(rounds[i]!, rounds[j]! + 1);
    }
  }
  return rounds;
}
