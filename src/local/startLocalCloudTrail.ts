import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** One CloudTrail record as CloudTrail writes it (the `detail` of an "AWS API Call via CloudTrail" event). */
export interface TrailRecord {
  eventID?: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  readOnly?: boolean;
  userIdentity?: { accessKeyId?: string; userName?: string; sessionContext?: { sessionIssuer?: { userName?: string } } };
  [field: string]: unknown;
}

export interface LocalCloudTrail {
  /** Point a CloudTrailClient here (`endpoint`), with any credentials: the region comes from the request's signature. */
  endpoint: string;
  /** Adds records to the event history, as CloudTrail would once they are delivered. */
  record(...records: TrailRecord[]): void;
  close(): Promise<void>;
}

const PAGE_SIZE_MAX = 50;

/**
 * The event history's LookupEvents, answered over HTTP on loopback from the records it was given: the local AWS
 * emulator (moto) has no LookupEvents, and the sandbox and the tests need one answer both use, through the real SDK
 * client (its protocol, paging and errors), not a mock per test. It implements what Keystop asks: one lookup attribute
 * (AccessKeyId, Username, EventName, EventSource, ReadOnly, EventId), StartTime/EndTime, MaxResults and NextToken,
 * newest first, per region (the region of the request's SigV4 scope, as CloudTrail's history is regional). Anything
 * else is answered as CloudTrail answers an unknown operation.
 */
export async function startLocalCloudTrail(): Promise<LocalCloudTrail> {
  const history: TrailRecord[] = [];
  const server = createServer((request, response) => {
    answer(request, history).then(
      ({ status, body }) => send(response, status, body),
      (error: unknown) => send(response, 400, { __type: 'InvalidParameterException', message: String(error) }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the local CloudTrail did not get a port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    record: (...records) => {
      history.push(...records);
    },
    close: async () => {
      server.close();
      server.closeAllConnections();
      await once(server, 'close');
    },
  };
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}

async function answer(request: IncomingMessage, history: readonly TrailRecord[]): Promise<{ status: number; body: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = String(request.headers['x-amz-target'] ?? '');
  // `CloudTrail_20131101.LookupEvents` (older SDKs send it with a `com.amazonaws.cloudtrail.v20131101.` prefix).
  if (!/(^|\.)CloudTrail_20131101\.LookupEvents$/.test(target)) {
    return { status: 400, body: { __type: 'UnknownOperationException', message: `${target || 'no operation'} is not answered locally` } };
  }
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as LookupInput;
  // SigV4: Credential=<key>/<date>/<region>/cloudtrail/aws4_request
  const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? 'us-east-1';
  const attribute = input.LookupAttributes?.[0];
  if ((input.LookupAttributes?.length ?? 0) > 1) {
    return { status: 400, body: { __type: 'InvalidLookupAttributesException', message: 'only one lookup attribute is allowed' } };
  }
  const from = input.StartTime === undefined ? Number.NEGATIVE_INFINITY : input.StartTime * 1000;
  const to = input.EndTime === undefined ? Number.POSITIVE_INFINITY : input.EndTime * 1000;
  const matching = history
    .filter((r) => r.awsRegion === region)
    .filter((r) => {
      const at = Date.parse(r.eventTime);
      return at >= from && at <= to;
    })
    .filter((r) => attribute === undefined || attributeOf(r, attribute.AttributeKey) === attribute.AttributeValue)
    .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
  const size = Math.min(input.MaxResults ?? PAGE_SIZE_MAX, PAGE_SIZE_MAX);
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  const page = matching.slice(start, start + size);
  return {
    status: 200,
    body: {
      Events: page.map((r, n) => ({
        EventId: r.eventID ?? `local-${start + n}`,
        EventName: r.eventName,
        ReadOnly: String(r.readOnly ?? false),
        AccessKeyId: r.userIdentity?.accessKeyId,
        EventTime: Date.parse(r.eventTime) / 1000,
        EventSource: r.eventSource,
        Username: usernameOf(r),
        Resources: [],
        CloudTrailEvent: JSON.stringify(r),
      })),
      ...(start + size < matching.length ? { NextToken: String(start + size) } : {}),
    },
  };
}

interface LookupInput {
  LookupAttributes?: { AttributeKey: string; AttributeValue: string }[];
  StartTime?: number;
  EndTime?: number;
  MaxResults?: number;
  NextToken?: string;
}

const usernameOf = (r: TrailRecord) => r.userIdentity?.userName ?? r.userIdentity?.sessionContext?.sessionIssuer?.userName;

function attributeOf(r: TrailRecord, key: string): string | undefined {
  switch (key) {
    case 'AccessKeyId':
      return r.userIdentity?.accessKeyId;
    case 'Username':
      return usernameOf(r);
    case 'EventName':
      return r.eventName;
    case 'EventSource':
      return r.eventSource;
    case 'ReadOnly':
      return String(r.readOnly ?? false);
    case 'EventId':
      return r.eventID;
    default:
      return undefined;
  }
}
