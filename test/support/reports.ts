import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { loadFixture } from './loadFixture';

/**
 * Reports about one long-term key, as the sources send them, moved into the emulator's account. `strength` says
 * what the default policies make of each: `contain` or `alert` (checked against the planner in the model test).
 */
export const reportKinds = {
  /** GuardDuty: the key used from a Tor exit node. */
  'guardduty-tor': 'contain',
  /** GuardDuty's later notification of a Tor finding (occurrences counted since): a likely duplicate asks first. */
  'guardduty-tor-later': 'contain',
  /** GuardDuty: CloudTrail logging stopped with the key (LOW): only alerted. */
  'guardduty-stealth': 'alert',
  /** GuardDuty: an anomaly at MEDIUM: only alerted. */
  'guardduty-anomaly-medium': 'alert',
  /** A generated sample finding naming the key: never contained. */
  'guardduty-sample': 'alert',
  /** AWS Health: the key was found exposed in public. */
  'health-exposed': 'contain',
  /** AWS Health: exposure only suspected: only alerted. */
  'health-suspected': 'alert',
  /** Security Hub's import of a GuardDuty Tor finding. */
  'securityhub-tor': 'contain',
} as const;
export type ReportKind = keyof typeof reportKinds;

export interface KeyRef {
  userName: string;
  accessKeyId: string;
}

/** One report of `kind` about the key; `id` makes the report (and its finding) distinct from others. */
export function reportAbout(kind: ReportKind, key: KeyRef, id: string): Record<string, any> {
  switch (kind) {
    case 'guardduty-tor':
      return guardDuty(key, id, 'UnauthorizedAccess:IAMUser/TorIPCaller', 5);
    case 'guardduty-tor-later': {
      const event = guardDuty(key, id, 'UnauthorizedAccess:IAMUser/TorIPCaller', 5);
      event.detail.service.count = 9;
      event.detail.updatedAt = new Date(Date.parse(event.detail.createdAt) + 3_600_000).toISOString();
      return event;
    }
    case 'guardduty-stealth':
      return guardDuty(key, id, 'Stealth:IAMUser/CloudTrailLoggingDisabled', 2);
    case 'guardduty-anomaly-medium':
      return guardDuty(key, id, 'Discovery:IAMUser/AnomalousBehavior', 5);
    case 'guardduty-sample': {
      const event = guardDuty(key, id, 'UnauthorizedAccess:IAMUser/TorIPCaller', 5);
      event.detail.service.additionalInfo = { ...event.detail.service.additionalInfo, sample: true };
      return event;
    }
    case 'health-exposed':
      return health(key, id, 'AWS_RISK_CREDENTIALS_EXPOSED');
    case 'health-suspected':
      return health(key, id, 'AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED');
    case 'securityhub-tor':
      return securityHub([key], id);
  }
}

function guardDuty(key: KeyRef, id: string, type: string, severity: number): Record<string, any> {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.id = `event-${id}`;
  Object.assign(event.detail, { id: findingIdOf(id), type, severity, accountId: LOCAL_ACCOUNT_ID });
  event.detail.arn = `arn:aws:guardduty:eu-west-1:${LOCAL_ACCOUNT_ID}:detector/0f1e/finding/${findingIdOf(id)}`;
  Object.assign(event.detail.resource.accessKeyDetails, { userName: key.userName, accessKeyId: key.accessKeyId });
  return event;
}

function health(key: KeyRef, id: string, code: string): Record<string, any> {
  const event = loadFixture('health/exposed-current-shape.json');
  event.id = `event-${id}`;
  event.account = LOCAL_ACCOUNT_ID;
  event.resources = [key.accessKeyId];
  Object.assign(event.detail, {
    eventTypeCode: code,
    eventArn: `arn:aws:health:global::event/RISK/${code}/${code}-${id}`,
    communicationId: `communication-${id}`,
    affectedAccount: LOCAL_ACCOUNT_ID,
    affectedEntities: [{ entityValue: key.accessKeyId }],
  });
  Object.assign(event.detail.eventMetadata, { accountId: LOCAL_ACCOUNT_ID, publicKey: key.accessKeyId, userName: key.userName });
  return event;
}

/** A Security Hub import carrying one NEW GuardDuty Tor finding per key: a batch. */
export function securityHub(keys: KeyRef[], id: string): Record<string, any> {
  const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
  const [template] = event.detail.findings;
  event.id = `event-${id}`;
  event.account = LOCAL_ACCOUNT_ID;
  event.detail.findings = keys.map((key, i) => {
    const finding = structuredClone(template);
    finding.Id = `arn:aws:guardduty:eu-west-1:${LOCAL_ACCOUNT_ID}:detector/0f1e/finding/${findingIdOf(`${id}-${i}`)}`;
    finding.AwsAccountId = LOCAL_ACCOUNT_ID;
    finding.Resources[0].Id = `AWS::IAM::AccessKey:${key.accessKeyId}`;
    Object.assign(finding.Resources[0].Details.AwsIamAccessKey, { AccessKeyId: key.accessKeyId, PrincipalName: key.userName });
    return finding;
  });
  return event;
}

/** GuardDuty finding ids are 32 hex characters. */
function findingIdOf(id: string): string {
  let hex = '';
  for (const char of id) hex += char.charCodeAt(0).toString(16);
  return hex.padEnd(32, '0').slice(-32);
}
