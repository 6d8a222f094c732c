import { randomUUID } from 'node:crypto';

/** A credential the bench reports as leaked: a long-term key of an IAM user, in the account the bench acts in. */
export interface LeakedKey {
  accountId: string;
  userName: string;
  accessKeyId: string;
}

/** One way a source reports a credential: a fresh report, or the same EventBridge event delivered again. */
export interface Report {
  /** Which source and which kind of report, for the RESULTS table: `GuardDuty: TorIPCaller`, `redelivery`. */
  kind: string;
  event: unknown;
}

/**
 * How each source reports a leaked key, several times over: what the burst sends. A source in eventSources without
 * an entry here is listed in RESULTS.md as not exercised by the burst.
 */
export const reportsBySource: Record<string, (key: LeakedKey) => Report[]> = {
  GuardDuty: (key) => {
    const tor = guardDutyFinding(key, 'UnauthorizedAccess:IAMUser/TorIPCaller', 1);
    // GuardDuty publishes a finding again when it sees the activity again: same finding id, new event, higher count.
    const torUpdated = { ...tor, id: randomUUID(), time: later(tor.time), detail: { ...tor.detail, updatedAt: later(tor.detail.updatedAt), service: { ...tor.detail.service, count: 2 } } };
    const malicious = guardDutyFinding(key, 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom', 1);
    return [
      { kind: 'GuardDuty: TorIPCaller', event: tor },
      // EventBridge delivers at least once: the very same event can arrive twice.
      { kind: 'GuardDuty: redelivered event', event: tor },
      { kind: 'GuardDuty: finding updated (count 2)', event: torUpdated },
      { kind: 'GuardDuty: MaliciousIPCaller.Custom', event: malicious },
      { kind: 'GuardDuty: redelivered event', event: malicious },
    ];
  },
};

/** A GuardDuty IAM finding about a long-term key, as EventBridge delivers it (only what GuardDuty always sends). */
export function guardDutyFinding(key: LeakedKey, type: string, count: number) {
  const findingId = randomUUID().replaceAll('-', '');
  const at = '2026-11-27T03:12:09.000Z';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: key.accountId,
    time: at,
    region: 'us-east-1',
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId: key.accountId,
      region: 'us-east-1',
      partition: 'aws',
      id: findingId,
      arn: `arn:aws:guardduty:us-east-1:${key.accountId}:detector/bench/finding/${findingId}`,
      type,
      resource: {
        resourceType: 'AccessKey',
        accessKeyDetails: { accessKeyId: key.accessKeyId, principalId: 'AIDABENCHPRINCIPAL00', userType: 'IAMUser', userName: key.userName },
      },
      service: {
        serviceName: 'guardduty',
        action: {
          actionType: 'AWS_API_CALL',
          awsApiCallAction: {
            api: 'ListBuckets',
            serviceName: 's3.amazonaws.com',
            callerType: 'Remote IP',
            remoteIpDetails: { ipAddressV4: '198.51.100.23', country: { countryName: 'Netherlands' }, organization: { asnOrg: 'Documentation AS' } },
            userAgent: { fullUserAgent: 'aws-cli/2.15.0' },
          },
        },
        resourceRole: 'TARGET',
        additionalInfo: {},
        eventFirstSeen: at,
        eventLastSeen: at,
        archived: false,
        count,
      },
      severity: 5,
      createdAt: at,
      updatedAt: at,
      title: `${type} reported by the Keystop bench`,
      description: 'A finding made up by the Keystop bench.',
    },
  };
}

const later = (iso: string) => new Date(Date.parse(iso) + 15 * 60_000).toISOString();

/** A key id that looks like AWS's (AKIA + 16 characters), unique per index. */
export const benchKeyId = (index: number) => `AKIABENCH${String(index).padStart(11, '0')}`;
