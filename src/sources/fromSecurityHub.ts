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

/** Who Keystop's notes are written by (src/report/audit/securityHubFindingUpdater.ts): shown to people, trusted by nothing. */
export const KEYSTOP_NOTE_AUTHOR = 'keystop';

const GUARDDUTY_PRODUCT = /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+::product\/aws\/guardduty$/;
const GUARDDUTY_FINDING_ARN = /^arn:aws[a-z-]*:guardduty:[a-z0-9-]+:\d{12}:detector\/[^/]+\/finding\/([^/]+)$/;

function incidentFromAsff(finding: AsffFinding, event: SecurityHubFindingsEvent): CredentialIncident | NotOurs {
  if (!GUARDDUTY_PRODUCT.test(finding.ProductArn)) {
    return { ignored: 'not-a-guardduty-finding', detail: `finding ${finding.Id} comes from ${finding.ProductArn}, not GuardDuty` };
  }
  // Keystop's own note re-fires the event too. Any caller allowed BatchUpdateFindings writes Note.UpdatedBy, so the echo
  // is recognised by the credential's record (src/decide/isRecordedEcho.ts), never by the note's author.
  // Each update of a finding (a note, a status change) re-fires the event: only a finding nobody has handled is acted on.
  // The status is the customer's to edit: it may only lower what Keystop does (a status other than NEW is ignored).
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
  // Decided from what GuardDuty wrote (FindingProviderFields), never from the customer-editable copies.
  const provided = finding.FindingProviderFields;
  const type = guardDutyTypeOf({ Types: provided?.Types ?? finding.Types, Title: finding.Title });
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
  const severity = severityOf(finding);
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
    ...(finding.Note !== undefined ? { updatedByCustomer: true as const } : {}),
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
const labelRank = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * GuardDuty's own 0–10 score, from what only the provider writes (FindingProviderFields.Severity, Severity.Original).
 * The customer-editable Severity.Label is a hint that may lower it (a finding someone downgraded), never raise it.
 */
function severityOf(finding: Pick<AsffFinding, 'Severity' | 'FindingProviderFields'>): number {
  const provided = finding.FindingProviderFields?.Severity;
  const provider = scoreOf(provided?.Original ?? finding.Severity?.Original, provided?.Label) ?? legacySeverityOf(finding.Severity);
  const edited = finding.Severity?.Label;
  const lower =
    edited !== undefined && labelRank.indexOf(edited) !== -1 && labelRank.indexOf(edited) < labelRank.indexOf(severityLabelOf(provider));
  return lower ? labelSeverity[edited]! : provider;
}

function scoreOf(original: string | undefined, label: string | undefined): number | undefined {
  const score = Number(original);
  if (original !== undefined && Number.isFinite(score) && score >= 0 && score <= 10) return score;
  return label === undefined ? undefined : labelSeverity[label];
}

/** Findings from before FindingProviderFields and Original: the product's score, else the normalized one. */
function legacySeverityOf(severity: AsffFinding['Severity']): number {
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
