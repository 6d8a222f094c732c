import { randomUUID } from 'node:crypto';

/** A credential the bench reports as leaked: a long-term key of an IAM user, in the account the bench acts in. */
export interface LeakedKey {
  accountId: string;
  userName: string;
  accessKeyId: string;
}

/** One report of a leaked key as EventBridge delivers it, and what kind of report it is (for RESULTS.md). */
export interface Report {
  kind: string;
  event: unknown;
  /** The source's later notification of the same report (GuardDuty publishing the finding again), where it sends one. */
  later?: unknown;
}

/**
 * One fresh report of a key per source, by EventSource name: what the latency runs send. A source in eventSources
 * without an entry here is not exercised by the bench (RESULTS.md lists the sources that were).
 */
export const firstReports: Record<string, (key: LeakedKey) => Report> = {
  GuardDuty: (key) => {
    const tor = guardDutyFinding(key, 'UnauthorizedAccess:IAMUser/TorIPCaller');
    return { kind: 'GuardDuty: TorIPCaller finding', event: tor, later: guardDutyUpdate(tor) };
  },
  'Security Hub': (key) => {
    const tor = guardDutyFinding(key, 'UnauthorizedAccess:IAMUser/TorIPCaller');
    return {
      kind: 'Security Hub: GuardDuty finding imported',
      event: securityHubImport(tor),
      later: securityHubImport(guardDutyUpdate(tor)),
    };
  },
  'AWS Health': (key) => ({
    kind: 'Health: AWS_RISK_CREDENTIALS_EXPOSED',
    event: healthNotice(key, 'AWS_RISK_CREDENTIALS_EXPOSED', randomUUID()),
  }),
};

/**
 * Five reports of one leaked key, the way they really arrive: a GuardDuty finding, EventBridge delivering it twice,
 * Security Hub importing the same finding, AWS Health's notice and its backup delivery from us-west-2. Where a source
 * is not available, another GuardDuty report stands in (the finding updated, a second finding type).
 */
export function burstReports(key: LeakedKey, sources: ReadonlySet<string>): Report[] {
  const tor = guardDutyFinding(key, 'UnauthorizedAccess:IAMUser/TorIPCaller');
  const reports: Report[] = [
    { kind: 'GuardDuty: TorIPCaller finding', event: tor },
    // EventBridge delivers at least once: the very same event can arrive twice.
    { kind: 'redelivery of the same event', event: tor },
  ];
  if (sources.has('Security Hub')) {
    reports.push({ kind: 'Security Hub: the same GuardDuty finding imported', event: securityHubImport(tor) });
  } else {
    // GuardDuty publishes a finding again when it sees the activity again: same finding id, new event, higher count.
    reports.push({ kind: 'GuardDuty: the same finding updated', event: guardDutyUpdate(tor) });
  }
  if (sources.has('AWS Health')) {
    const notice = randomUUID();
    reports.push(
      { kind: 'Health: AWS_RISK_CREDENTIALS_EXPOSED', event: healthNotice(key, 'AWS_RISK_CREDENTIALS_EXPOSED', notice) },
      // Health sends credential notices from us-east-1 and, marked as backup, from us-west-2.
      { kind: 'Health: backup delivery of the same notice', event: healthNotice(key, 'AWS_RISK_CREDENTIALS_EXPOSED', notice, true) },
    );
  } else {
    const malicious = guardDutyFinding(key, 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom');
    reports.push(
      { kind: 'GuardDuty: MaliciousIPCaller.Custom finding', event: malicious },
      { kind: 'redelivery of the same event', event: malicious },
    );
  }
  return reports;
}

const AT = '2026-11-27T03:12:09.000Z';

/** A GuardDuty IAM finding about a long-term key, as EventBridge delivers it. */
function guardDutyFinding(key: LeakedKey, type: string) {
  const findingId = randomUUID().replaceAll('-', '');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: key.accountId,
    time: AT,
    region: 'us-east-1',
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId: key.accountId,
      region: 'us-east-1',
      partition: 'aws',
      id: findingId,
      arn: `arn:aws:guardduty:us-east-1:${key.accountId}:detector/bench0detector/finding/${findingId}`,
      type,
      resource: {
        resourceType: 'AccessKey',
        accessKeyDetails: {
          accessKeyId: key.accessKeyId,
          principalId: 'AIDABENCHPRINCIPAL00',
          userType: 'IAMUser',
          userName: key.userName,
        },
      },
      service: {
        serviceName: 'guardduty',
        action: {
          actionType: 'AWS_API_CALL',
          awsApiCallAction: {
            api: 'ListBuckets',
            serviceName: 's3.amazonaws.com',
            callerType: 'Remote IP',
            remoteIpDetails: {
              ipAddressV4: '198.51.100.23',
              country: { countryName: 'Netherlands' },
              organization: { asnOrg: 'Documentation AS' },
            },
            userAgent: { fullUserAgent: 'aws-cli/2.15.0' },
          },
        },
        resourceRole: 'TARGET',
        additionalInfo: {},
        eventFirstSeen: AT,
        eventLastSeen: AT,
        archived: false,
        count: 1,
      },
      severity: 5,
      createdAt: AT,
      updatedAt: AT,
      title: `${type} (made up by the Keystop bench)`,
      description: 'A finding made up by the Keystop bench.',
    },
  };
}
type GuardDutyEvent = ReturnType<typeof guardDutyFinding>;

/**
 * GuardDuty's later notification of a finding: occurrences after the first notification's 5 minutes come at the
 * detector's publishing frequency (15 minutes at the shortest), same finding id, the count raised.
 */
function guardDutyUpdate(event: GuardDutyEvent): GuardDutyEvent {
  const later = new Date(Date.parse(AT) + 15 * 60_000).toISOString();
  return {
    ...event,
    id: randomUUID(),
    time: later,
    detail: { ...event.detail, updatedAt: later, service: { ...event.detail.service, count: 2 } },
  };
}

/** Security Hub's import of a GuardDuty finding (ASFF), in its own EventBridge event. */
function securityHubImport({ detail: finding }: GuardDutyEvent) {
  const [category, rest] = finding.type.split(':');
  const key = finding.resource.accessKeyDetails;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: finding.accountId,
    time: AT,
    region: finding.region,
    resources: [`arn:aws:securityhub:${finding.region}::product/aws/guardduty/${finding.arn}`],
    detail: {
      findings: [
        {
          SchemaVersion: '2018-10-08',
          Id: finding.arn,
          ProductArn: `arn:aws:securityhub:${finding.region}::product/aws/guardduty`,
          ProductName: 'GuardDuty',
          AwsAccountId: finding.accountId,
          Region: finding.region,
          Types: [`TTPs/Initial Access/${category}:${rest!.replace('/', '-')}`],
          CreatedAt: finding.createdAt,
          UpdatedAt: finding.updatedAt,
          Severity: { Label: 'MEDIUM', Normalized: 50, Product: finding.severity, Original: String(finding.severity) },
          Title: finding.title,
          Description: finding.description,
          ProductFields: {
            'aws/guardduty/service/action/awsApiCallAction/api': 'ListBuckets',
            'aws/guardduty/service/action/awsApiCallAction/remoteIpDetails/ipAddressV4': '198.51.100.23',
            'aws/guardduty/service/count': String(finding.service.count),
          },
          Resources: [
            {
              Type: 'AwsIamAccessKey',
              Id: `AWS::IAM::AccessKey:${key.accessKeyId}`,
              Region: finding.region,
              Details: { AwsIamAccessKey: { AccessKeyId: key.accessKeyId, PrincipalName: key.userName, PrincipalType: 'IAMUser' } },
            },
          ],
          Workflow: { Status: 'NEW' },
          WorkflowState: 'NEW',
          RecordState: 'ACTIVE',
        },
      ],
    },
  };
}

/** An AWS Health RISK notice naming the key and its user (the current shape). */
function healthNotice(key: LeakedKey, code: string, notice: string, backup = false) {
  const region = backup ? 'us-west-2' : 'us-east-1';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS Health Event',
    source: 'aws.health',
    account: key.accountId,
    time: AT,
    region,
    resources: [key.accessKeyId],
    detail: {
      eventArn: `arn:aws:health:global::event/RISK/${code}/${code}-${notice}`,
      service: 'RISK',
      eventTypeCode: code,
      eventTypeCategory: 'issue',
      communicationId: notice,
      startTime: 'Fri, 27 Nov 2026 03:12:09 GMT',
      lastUpdatedTime: 'Fri, 27 Nov 2026 03:12:10 GMT',
      eventRegion: 'global',
      eventDescription: [
        { latestDescription: 'An access key of your account was found publicly available (made up by the Keystop bench).' },
      ],
      eventMetadata: { accountId: key.accountId, publicKey: key.accessKeyId, userName: key.userName },
      affectedEntities: [{ entityValue: key.accessKeyId }],
      affectedAccount: key.accountId,
      ...(backup ? { backupEvent: true } : {}),
    },
  };
}

/** A key id that looks like AWS's (AKIA + 16 characters), unique per index. */
export const benchKeyId = (index: number) => `AKIABENCH${String(index).padStart(11, '0')}`;
