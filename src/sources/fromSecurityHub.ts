import { type AdaptedEvent, type IgnoredReason, ignored, incidents } from '../domain/AdaptedEvent';
import { type Credential, type CredentialIncident, severityLabelOf } from '../domain/CredentialIncident';
import { compact } from '../domain/compact';
import { isAccessKeyId } from '../domain/identifiers';
import { credentialOfPrincipal } from './credentialOfPrincipal';
import { isLaterNotification } from './isLaterNotification';
import type { AsffFinding, SecurityHubFindingsEvent } from './SecurityHubFindingsEvent';
import { unmappedCredential } from './unmappedCredential';

type NotOurs = { ignored: IgnoredReason; detail: string };

/**
 * Turns a batch of Security Hub findings into one incident per new GuardDuty finding about a credential. Everything
 * else in the batch (other products, updates of findings already seen, findings about other resources) is not ours.
 */
export function fromSecurityHub(event: SecurityHubFindingsEvent): AdaptedEvent {
  const results = event.detail.findings.map((finding) => incidentFromAsff(finding, event));
  const found = results.filter((r): r is CredentialIncident => !('ignored' in r));
  if (found.length > 0) return incidents(found);
  const notOurs = results as NotOurs[];
  return ignored(notOurs[0]!.ignored, notOurs.map((r) => r.detail).join('; '));
}

/** Who Keystop's notes are written by (src/report/audit/securityHubFindingUpdater.ts). */
export const KEYSTOP_NOTE_AUTHOR = 'keystop';

function isOwnEcho(finding: AsffFinding): boolean {
  const note = finding.Note;
  if (note?.UpdatedBy !== KEYSTOP_NOTE_AUTHOR || note.UpdatedAt === undefined) return false;
  const noted = Date.parse(note.UpdatedAt);
  const updated = finding.UpdatedAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(finding.UpdatedAt);
  return !Number.isNaN(noted) && !(updated > noted);
}

const GUARDDUTY_PRODUCT = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+::product\/aws\/guardduty$/;
const GUARDDUTY_FINDING_ARN = /^arn:aws[a-z-]*:guardduty:[a-z0-9-]+:\d{12}:detector\/[^/]+\/finding\/([^/]+)$/;

function incidentFromAsff(finding: AsffFinding, event: SecurityHubFindingsEvent): CredentialIncident | NotOurs {
  if (!GUARDDUTY_PRODUCT.test(finding.ProductArn)) {
    return { ignored: 'not-a-guardduty-finding', detail: `finding ${finding.Id} comes from ${finding.ProductArn}, not GuardDuty` };
  }
  // Keystop's own note re-fires the event. BatchUpdateFindings leaves UpdatedAt as it was, so a finding GuardDuty has
  // not updated since Keystop's note is Keystop's echo, whatever its workflow status (a failed containment leaves NEW).
  if (isOwnEcho(finding)) {
    return {
      ignored: 'keystop-own-update',
      detail: `finding ${finding.Id} re-fired because Keystop noted it at ${finding.Note?.UpdatedAt}; GuardDuty has not updated it since`,
    };
  }
  // Each update of a finding (a note, a status change) re-fires the event: only a finding nobody has handled is acted on.
  const status = finding.Workflow?.Status ?? finding.WorkflowState;
  if (status !== 'NEW' || finding.RecordState === 'ARCHIVED') {
    return {
      ignored: 'finding-not-new',
      detail: `finding ${finding.Id} is ${finding.RecordState === 'ARCHIVED' ? 'archived' : `in workflow status ${status}`}, not NEW`,
    };
  }
  const resource = finding.Resources.find((r) => r.Type === 'AwsIamAccessKey');
  if (resource === undefined) {
    return {
      ignored: 'not-a-credential-finding',
      detail: `finding ${finding.Id} is about ${finding.Resources.map((r) => r.Type).join(', ')}, not a credential`,
    };
  }
  const type = guardDutyTypeOf(finding);
  // A GuardDuty credential finding that does not say which credential: still reported, quoting what it names.
  const details = resource.Details?.AwsIamAccessKey;
  const field = productField(finding.ProductFields);
  const sample = isSample(field, finding.ProductFields);
  const credential =
    credentialOf(resource, sample) ??
    unmappedCredential([
      resource.Id,
      details?.AccessKeyId,
      details?.PrincipalId,
      details?.PrincipalName,
      details?.UserName,
      details?.PrincipalType,
    ]);
  // A GuardDuty finding seen through Security Hub is the same incident as the one GuardDuty delivers directly.
  const guardDutyId = GUARDDUTY_FINDING_ARN.exec(finding.Id)?.[1];
  const severity = severityOf(finding.Severity);
  const repeated = isLaterNotification(Number(field('count')), finding.CreatedAt, finding.UpdatedAt);
  return {
    id: guardDutyId ? `guardduty:${finding.AwsAccountId}:${guardDutyId}` : `security-hub:${finding.AwsAccountId}:${finding.Id}`,
    source: 'security-hub',
    type,
    severity,
    severityLabel: severityLabelOf(severity),
    accountId: finding.AwsAccountId,
    region: resource.Region ?? finding.Region ?? event.region,
    observedAt: finding.LastObservedAt ?? finding.UpdatedAt ?? finding.CreatedAt ?? event.time,
    credential,
    sample,
    backupDelivery: false,
    ...(repeated ? { repeated: true as const } : {}),
    title: finding.Title ?? type,
    evidence: compact({
      sourceIp:
        field('action/awsApiCallAction/remoteIpDetails/ipAddressV4') ?? field('action/awsApiCallAction/remoteIpDetails/ipAddressV6'),
      country: field('action/awsApiCallAction/remoteIpDetails/country/countryName'),
      city: field('action/awsApiCallAction/remoteIpDetails/city/cityName'),
      asnOrg: field('action/awsApiCallAction/remoteIpDetails/organization/asnOrg'),
      isp: field('action/awsApiCallAction/remoteIpDetails/organization/isp'),
      api: field('action/awsApiCallAction/api'),
      serviceName: field('action/awsApiCallAction/serviceName'),
      description: finding.Description,
    }),
    origin: guardDutyId
      ? { findingId: guardDutyId, findingArn: finding.Id, eventId: event.id }
      : { findingId: finding.Id, eventId: event.id },
  };
}

type AccessKeyResource = AsffFinding['Resources'][number];

/**
 * The credential from Resources[].Details.AwsIamAccessKey. An Id ending ":null" with no AccessKeyId means Security
 * Hub lost the key: the user is known, the key is not, and acting on "all keys of the user" would be guessing.
 * Anyone allowed BatchImportFindings writes these fields: a key id IAM could not have issued names no credential
 * (the alert quotes it as unmapped; nothing is sent to IAM with it). Samples keep GuardDuty's placeholder id.
 */
function credentialOf(resource: AccessKeyResource, sample: boolean): Credential | undefined {
  const details = resource.Details?.AwsIamAccessKey;
  const idKey = resource.Id.slice(resource.Id.lastIndexOf(':') + 1);
  const accessKeyId = details?.AccessKeyId ?? (idKey !== '' && idKey !== 'null' && idKey !== resource.Id ? idKey : undefined);
  const name = details?.PrincipalName ?? details?.UserName;
  // Findings from before PrincipalType existed name only an IAM user (UserName).
  const userType = details?.PrincipalType ?? (name ? 'IAMUser' : undefined);
  if (accessKeyId !== undefined) {
    if (!sample && !isAccessKeyId(accessKeyId)) return undefined;
    return credentialOfPrincipal({ accessKeyId, userName: name, userType, principalId: details?.PrincipalId });
  }
  if (userType === 'Root') return { kind: 'root' };
  if (userType === 'IAMUser' && name) return { kind: 'iam-user', userName: name };
  return undefined;
}

/**
 * GuardDuty's finding type from the ASFF Types, which carry it as the last part of a taxonomy path, written either
 * "TTPs/UnauthorizedAccess:IAMUser/TorIPCaller" or "Unusual Behaviors/User/UnauthorizedAccess:IAMUser-TorIPCaller".
 */
export function guardDutyTypeOf(finding: Pick<AsffFinding, 'Types' | 'Title'>): string {
  const types = (finding.Types ?? []).filter((path) => path !== '');
  for (const path of types) {
    const parts = path.split('/');
    const at = parts.findIndex((part) => part.includes(':'));
    if (at === -1) continue;
    const type = parts.slice(at).join('/');
    return type.includes('/') ? type : type.replace(/^([A-Za-z0-9]+:[A-Za-z0-9]+)-/, '$1/');
  }
  return types[0] ?? finding.Title ?? 'unknown';
}

const labelSeverity: Record<string, number> = { INFORMATIONAL: 0, LOW: 2, MEDIUM: 5, HIGH: 8, CRITICAL: 9 };

/** GuardDuty's own 0–10 score when Security Hub kept it (Original, or the older Product), else the normalized one. */
function severityOf(severity: AsffFinding['Severity']): number {
  const original = Number(severity?.Original);
  if (severity?.Original !== undefined && Number.isFinite(original) && original >= 0 && original <= 10) return original;
  if (severity?.Product !== undefined && severity.Product >= 0 && severity.Product <= 10) return severity.Product;
  if (severity?.Normalized !== undefined && severity.Normalized >= 0 && severity.Normalized <= 100) return severity.Normalized / 10;
  return labelSeverity[severity?.Label ?? ''] ?? 0;
}

/** GuardDuty's fields flattened into ProductFields, whatever prefix this version of the integration gives them. */
function productField(fields: Record<string, string> | undefined) {
  const entries = Object.entries(fields ?? {});
  return (suffix: string): string | undefined => entries.find(([key]) => key === suffix || key.endsWith(`/${suffix}`))?.[1];
}

function isSample(field: (suffix: string) => string | undefined, fields: Record<string, string> | undefined): boolean {
  if (field('additionalInfo/sample') === 'true' || field('sample') === 'true') return true;
  // The older integration put GuardDuty's additionalInfo into ProductFields as one JSON string.
  const additionalInfo = fields?.additionalInfo;
  if (additionalInfo === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(additionalInfo);
    return typeof parsed === 'object' && parsed !== null && (parsed as { sample?: unknown }).sample === true;
  } catch {
    return false;
  }
}
