import { randomUUID } from 'node:crypto';

/**
 * A GuardDuty finding marked as a sample (service.additionalInfo.sample), as GuardDuty's own generated findings are:
 * Keystop never contains on a sample, whatever its policies say, but runs everything else and alerts. The key and
 * user it names do not exist. A fresh finding id each time, so de-duplication never swallows a second self-test.
 */
export function selftestFinding(accountId: string, region: string, now: Date) {
  const id = randomUUID().replaceAll('-', '');
  const time = now.toISOString();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: accountId,
    time,
    region,
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId,
      region,
      partition: 'aws',
      id,
      arn: `arn:aws:guardduty:${region}:${accountId}:detector/keystop-selftest/finding/${id}`,
      type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
      resource: {
        resourceType: 'AccessKey',
        accessKeyDetails: {
          accessKeyId: 'AKIAKEYSTOPSELFTEST0',
          principalId: 'AIDAKEYSTOPSELFTEST0',
          userType: 'IAMUser',
          userName: 'keystop-selftest',
        },
      },
      service: {
        serviceName: 'guardduty',
        detectorId: 'keystop-selftest',
        action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'GetCallerIdentity', serviceName: 'sts.amazonaws.com' } },
        resourceRole: 'TARGET',
        additionalInfo: { sample: true },
        eventFirstSeen: time,
        eventLastSeen: time,
        archived: false,
        count: 1,
      },
      severity: 5,
      createdAt: time,
      updatedAt: time,
      title: 'Keystop self-test: a sample finding, never contained',
      description: 'Sent by `keystop selftest` to check the deployed responder end to end. Nothing is changed.',
    },
  };
}
