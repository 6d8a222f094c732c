import { type AdaptedEvent, ignored, incidents } from '../domain/AdaptedEvent';
import { type Credential, type CredentialIncident, severityLabelOf } from '../domain/CredentialIncident';
import { compact } from '../domain/compact';
import { credentialOfPrincipal } from './credentialOfPrincipal';
import type { GuardDutyFinding, GuardDutyFindingEvent } from './GuardDutyFindingEvent';
import { isLaterNotification } from './isLaterNotification';
import { unmappedCredential } from './unmappedCredential';

/** Turns a GuardDuty finding into the incident it reports, or says why it is not ours. */
export function fromGuardDuty(event: GuardDutyFindingEvent): AdaptedEvent {
  if (event.detail.type.startsWith('AttackSequence:') && event.detail.resource.accessKeyDetails === undefined) {
    return fromAttackSequence(event.detail, event.id);
  }
  const incident = incidentFromFinding(event.detail, event.id);
  if ('ignored' in incident) return ignored(incident.ignored, incident.detail);
  return incidents([incident]);
}

type NotOurs = { ignored: 'not-a-credential-finding'; detail: string };

/** The incident one finding reports, or why it is not about a credential. */
function incidentFromFinding(finding: GuardDutyFinding, eventId: string): CredentialIncident | NotOurs {
  const details = finding.resource.accessKeyDetails;
  if (finding.resource.resourceType !== 'AccessKey' || details === undefined) {
    return {
      ignored: 'not-a-credential-finding',
      detail: `${finding.type} is about a resource of type ${finding.resource.resourceType}, not a credential`,
    };
  }
  // Every AccessKey finding is about a credential: one GuardDuty describes in a way Keystop cannot map is still
  // reported to people, quoting what the finding names.
  const credential =
    credentialOfPrincipal(details) ?? unmappedCredential([details.accessKeyId, details.principalId, details.userName, details.userType]);
  return incidentWith(finding, eventId, credential);
}

/** The incident a finding reports about one credential. */
function incidentWith(finding: GuardDutyFinding, eventId: string, credential: Credential): CredentialIncident {
  const api = finding.service?.action?.awsApiCallAction;
  const remote = api?.remoteIpDetails;
  const sample = finding.service?.additionalInfo?.sample;
  return {
    id: `guardduty:${finding.accountId}:${finding.id}`,
    source: 'guardduty',
    type: finding.type,
    severity: finding.severity,
    severityLabel: severityLabelOf(finding.severity),
    accountId: finding.accountId,
    region: finding.region,
    observedAt: finding.service?.eventLastSeen ?? finding.updatedAt ?? finding.createdAt ?? new Date(0).toISOString(),
    ...(finding.service?.eventFirstSeen ? { firstSeenAt: finding.service.eventFirstSeen } : {}),
    credential,
    sample: sample === true || sample === 'true',
    backupDelivery: false,
    ...(isLaterNotification(finding.service?.count, finding.createdAt, finding.updatedAt) ? { repeated: true as const } : {}),
    title: finding.title ?? finding.type,
    evidence: compact({
      sourceIp: remote?.ipAddressV4 ?? remote?.ipAddressV6,
      country: remote?.country?.countryName,
      city: remote?.city?.cityName,
      asnOrg: remote?.organization?.asnOrg,
      isp: remote?.organization?.isp,
      api: api?.api,
      serviceName: api?.serviceName,
      userAgent: api?.userAgent?.fullUserAgent,
      description: finding.description,
    }),
    origin: { findingId: finding.id, findingArn: finding.arn, eventId },
  };
}

/**
 * An attack sequence about credentials (AttackSequence:IAM/…) reports every credential its actors used: one incident
 * each, sharing the finding's evidence. Sequences about other resources (S3 data, EKS/ECS clusters, EC2) are not ours.
 */
function fromAttackSequence(finding: GuardDutyFinding, eventId: string): AdaptedEvent {
  if (!finding.type.startsWith('AttackSequence:IAM/')) {
    return ignored('not-a-credential-finding', `${finding.type} is an attack sequence about resources, not a credential`);
  }
  const actors = finding.service?.detection?.sequence?.actors ?? [];
  const seen = new Set<string>();
  const named = actors.flatMap(({ user }) => {
    if (!user?.credentialUid || seen.has(user.credentialUid)) return [];
    seen.add(user.credentialUid);
    const credential = credentialOfPrincipal({ accessKeyId: user.credentialUid, userName: user.name, userType: user.type });
    return credential ? [{ credential, accountId: user.account?.uid ?? finding.accountId }] : [];
  });
  if (named.length === 0) {
    // A compromise GuardDuty correlated, whose actors name no usable credential: people must find it from the finding.
    const entities = actors.flatMap(({ user }) => [user?.name, user?.uid, user?.credentialUid, user?.type]);
    return incidents([incidentWith(finding, eventId, unmappedCredential(entities))]);
  }
  return incidents(
    named.map(({ credential, accountId }) => {
      const incident = incidentWith(finding, eventId, credential);
      const key = 'accessKeyId' in credential ? credential.accessKeyId : undefined;
      const id = named.length > 1 && key ? `${incident.id}:${key}` : incident.id;
      // An actor's account is text inside the finding, not the account GuardDuty reports for: only acted in when listed.
      return { ...incident, id, accountId, ...(accountId !== finding.accountId ? { accountNamedOnlyInContent: true } : {}) };
    }),
  );
}
