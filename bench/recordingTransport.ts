import { performance } from 'node:perf_hooks';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** One request as it left an SDK client for its transport. */
export interface SentRequest {
  /** `IAM:UpdateAccessKey`, `SNS:Publish`, `DynamoDB:PutItem`, … */
  operation: string;
  /** performance.now() when the SDK handed the request to the transport: serialized, signed, on its way out. */
  at: number;
}

/** The SDK's transport interface (what `requestHandler` takes), as much of it as clients call. */
interface HttpRequestLike {
  method: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}
interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}
interface RequestHandler {
  handle(request: HttpRequestLike, options?: unknown): Promise<{ response: HttpResponseLike }>;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
  destroy?(): void;
}

/**
 * A transport that answers at once, the way AWS would answer success: takes the network out of the figure while
 * every SDK step before it (serialize, sign, retry bookkeeping) still runs. `ListAccessKeys` lists the user's keys
 * (`keysOf`), all Active, so that the responder finds the reported key; every other call answers empty.
 */
export function instantTransport(keysOf: (userName: string) => string[]): RequestHandler {
  return {
    async handle(request) {
      const { service, action } = operationOf(request);
      if (isQuery(request)) {
        // Query protocol (IAM, SNS): an empty <Action>Result parses as "no optional fields", which is success.
        const body = `<${action}Response xmlns="https://${service.toLowerCase()}.amazonaws.com/doc/"><${action}Result>${resultOf(action, request)}</${action}Result><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></${action}Response>`;
        return { response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) } };
      }
      // JSON protocols (DynamoDB, …): `{}` is an empty successful output.
      return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from('{}') } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };

  function resultOf(action: string, request: HttpRequestLike): string {
    if (action === 'Publish') return '<MessageId>00000000-0000-0000-0000-000000000000</MessageId>';
    if (action !== 'ListAccessKeys') return '';
    const userName = new URLSearchParams(bodyOf(request)).get('UserName') ?? '';
    const members = keysOf(userName).map(
      (id) =>
        `<member><UserName>${userName}</UserName><AccessKeyId>${id}</AccessKeyId><Status>Active</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>`,
    );
    return `<AccessKeyMetadata>${members.join('')}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`;
  }
}

/** The SDK's own HTTP transport (what clients use by default), for runs against the emulator. */
export const httpTransport = (): RequestHandler => new NodeHttpHandler() as unknown as RequestHandler;

/** Wraps a transport and records every request that passes through it, with the moment it did. */
export function recording(inner: RequestHandler, onRequest: (request: SentRequest) => void): RequestHandler {
  return {
    handle(request, options) {
      onRequest({ operation: operationName(request), at: performance.now() });
      return inner.handle(request, options);
    },
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
    destroy: () => inner.destroy?.(),
  };
}

function operationName(request: HttpRequestLike): string {
  const { service, action } = operationOf(request);
  return `${service}:${action}`;
}

function isQuery(request: HttpRequestLike): boolean {
  return String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** Service from the signature's credential scope; action from the query body or the JSON target header. */
function operationOf(request: HttpRequestLike): { service: string; action: string } {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? '');
  const service = (scope?.[1] ?? request.hostname.split('.')[0] ?? 'unknown').toUpperCase();
  const target = request.headers['x-amz-target'];
  if (target) {
    const [prefix, action] = target.split('.');
    return { service: prefix?.startsWith('DynamoDB') ? 'DynamoDB' : service, action: action ?? target };
  }
  const action = new URLSearchParams(bodyOf(request)).get('Action') ?? `${request.method} ${request.path}`;
  return { service, action };
}

function bodyOf(request: HttpRequestLike): string {
  return typeof request.body === 'string' ? request.body : Buffer.isBuffer(request.body) ? request.body.toString() : '';
}
