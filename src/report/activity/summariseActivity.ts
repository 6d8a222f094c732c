import type { Event } from '@aws-sdk/client-cloudtrail';
import type { ActivitySummary, NotableCall } from './ActivityReport';

/**
 * The calls that matter most after a key leaks: how attackers stay (new users, keys, login profiles, policies,
 * federation), escalate (policy versions, role trust), move (AssumeRole, session tokens) and hide (trails,
 * detectors, recorders), plus the compute they start to mine with.
 */
const notableCalls = new Set([
  'CreateUser',
  'CreateAccessKey',
  'UpdateAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'AttachUserPolicy',
  'PutUserPolicy',
  'AttachRolePolicy',
  'PutRolePolicy',
  'AttachGroupPolicy',
  'PutGroupPolicy',
  'AddUserToGroup',
  'CreateRole',
  'UpdateAssumeRolePolicy',
  'CreatePolicy',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'CreateVirtualMFADevice',
  'EnableMFADevice',
  'DeactivateMFADevice',
  'CreateServiceSpecificCredential',
  'UploadSSHPublicKey',
  'CreateSAMLProvider',
  'CreateOpenIDConnectProvider',
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetFederationToken',
  'GetSessionToken',
  'StopLogging',
  'DeleteTrail',
  'UpdateTrail',
  'PutEventSelectors',
  'DeleteDetector',
  'UpdateDetector',
  'DisableSecurityHub',
  'DeleteFlowLogs',
  'StopConfigurationRecorder',
  'DeleteConfigurationRecorder',
  'LeaveOrganization',
  'RunInstances',
  'CreateFunction',
  'PutBucketPolicy',
  'PutBucketAcl',
  'CreateKeyPair',
  'ImportKeyPair',
  'AuthorizeSecurityGroupIngress',
  'RequestServiceQuotaIncrease',
]);

export interface RegionEvents {
  region: string;
  events: Event[];
}

export interface LookupOutcome {
  accessKeyId: string;
  window: { from: string; to: string };
  regions: string[];
  regionErrors: { region: string; error: string }[];
  pagesRead: number;
  stoppedBy?: 'page-cap' | 'time-limit';
}

/** Pure: CloudTrail events of one key, summarised for a responder. */
export function summariseActivity(found: RegionEvents[], lookup: LookupOutcome): ActivitySummary {
  const calls = new Map<string, number>();
  const ips = new Map<string, number>();
  const notable: NotableCall[] = [];
  const times: string[] = [];
  for (const { region, events } of found) {
    for (const event of events) {
      const record = parseRecord(event.CloudTrailEvent);
      const name = `${serviceOf(event.EventSource ?? record.eventSource)}:${event.EventName ?? record.eventName ?? 'unknown'}`;
      const time = (event.EventTime ?? (record.eventTime ? new Date(record.eventTime) : undefined))?.toISOString();
      count(calls, name);
      if (record.sourceIPAddress) count(ips, record.sourceIPAddress);
      if (time) times.push(time);
      // Lambda's event names carry an API version suffix (CreateFunction20150331).
      const eventName = (event.EventName ?? '').replace(/\d{8}(v\d+)?$/, '');
      if (notableCalls.has(eventName)) {
        notable.push(
          compact({
            time: time ?? 'unknown',
            name,
            region: record.awsRegion ?? region,
            sourceIp: record.sourceIPAddress,
            errorCode: record.errorCode,
            target: targetOf(record.requestParameters),
          }),
        );
      }
    }
  }
  times.sort();
  notable.sort((a, b) => a.time.localeCompare(b.time));
  const eventCount = found.reduce((n, r) => n + r.events.length, 0);
  return {
    status: lookup.stoppedBy ? 'partial' : 'complete',
    ...(lookup.stoppedBy ? { stoppedBy: lookup.stoppedBy } : {}),
    accessKeyId: lookup.accessKeyId,
    window: lookup.window,
    regions: lookup.regions,
    regionErrors: lookup.regionErrors,
    pagesRead: lookup.pagesRead,
    eventCount,
    ...(times.length > 0 ? { firstSeen: times[0], lastSeen: times.at(-1) } : {}),
    calls: top(calls, 20).map(([name, n]) => ({ name, count: n })),
    sourceIps: top(ips, 10).map(([ip, n]) => ({ ip, count: n })),
    // The first ones: what the attacker did first is what a responder undoes first.
    notable: notable.slice(0, 20),
  };
}

interface TrailRecord {
  eventSource?: string;
  eventName?: string;
  eventTime?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  errorCode?: string;
  requestParameters?: Record<string, unknown> | null;
}

/** CloudTrailEvent is a JSON string written from the caller's request: read it defensively, keep only strings. */
function parseRecord(json: string | undefined): TrailRecord {
  try {
    const value: unknown = JSON.parse(json ?? '{}');
    if (typeof value !== 'object' || value === null) return {};
    const r = value as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return {
      eventSource: str(r.eventSource),
      eventName: str(r.eventName),
      eventTime: str(r.eventTime),
      awsRegion: str(r.awsRegion),
      sourceIPAddress: str(r.sourceIPAddress),
      errorCode: str(r.errorCode),
      requestParameters:
        typeof r.requestParameters === 'object' && r.requestParameters !== null ? (r.requestParameters as Record<string, unknown>) : null,
    };
  } catch {
    return {};
  }
}

function targetOf(parameters: TrailRecord['requestParameters']): string | undefined {
  if (!parameters) return undefined;
  for (const field of ['userName', 'roleName', 'roleArn', 'policyArn', 'groupName', 'accessKeyId', 'name', 'bucketName', 'instanceType']) {
    const value = parameters[field];
    if (typeof value === 'string' && value !== '') return `${field}=${value}`;
  }
  return undefined;
}

const serviceOf = (eventSource: string | undefined) => (eventSource ?? 'unknown').replace(/\.amazonaws\.com$/, '');

function count(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
