import type { CredentialIncident } from '../../domain/CredentialIncident';

/** AWS region names; anything else (the value comes from the event) never reaches a URL's host. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export interface ConsoleLinks {
  principal?: string;
  finding?: string;
  cloudTrail?: string;
}

/**
 * Pure: console links to the principal, the finding and CloudTrail event history filtered by the key. Every value
 * from the event is URL-encoded into a path or fragment, and the region is used only if it is a region name, so an
 * event cannot point a link elsewhere.
 */
export function consoleLinks(incident: CredentialIncident): ConsoleLinks {
  const region = REGION.test(incident.region) ? incident.region : undefined;
  const { credential } = incident;
  const links: ConsoleLinks = {};
  if ('userName' in credential && credential.userName) {
    links.principal = `https://console.aws.amazon.com/iam/home#/users/details/${encodeURIComponent(bounded(credential.userName))}?section=security_credentials`;
  } else if (credential.kind === 'role-session') {
    links.principal = `https://console.aws.amazon.com/iam/home#/roles/details/${encodeURIComponent(bounded(credential.roleName))}?section=permissions`;
  }
  if (region) {
    if (incident.source === 'guardduty' && incident.origin.findingId) {
      links.finding = `https://${region}.console.aws.amazon.com/guardduty/home?region=${region}#/findings?macros=current&fId=${encodeURIComponent(bounded(incident.origin.findingId))}`;
    } else if (incident.source === 'security-hub') {
      const id = incident.origin.findingArn ?? incident.origin.findingId;
      links.finding = `https://${region}.console.aws.amazon.com/securityhub/home?region=${region}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A${encodeURIComponent(encodeURIComponent(bounded(id, 512)))}`;
    }
  }
  // CloudTrail event history is regional; IAM and STS calls of a global region ('global' in AWS Health) are in us-east-1.
  const trail = `https://${region ?? 'us-east-1'}.console.aws.amazon.com/cloudtrail/home?region=${region ?? 'us-east-1'}#/events`;
  const accessKeyId = 'accessKeyId' in credential ? credential.accessKeyId : undefined;
  if (accessKeyId) {
    links.cloudTrail = `${trail}?AccessKeyId=${encodeURIComponent(bounded(accessKeyId))}`;
  } else if ('userName' in credential && credential.userName) {
    links.cloudTrail = `${trail}?Username=${encodeURIComponent(bounded(credential.userName))}`;
  } else if (credential.kind === 'root') {
    links.cloudTrail = `${trail}?Username=root`;
  } else if (credential.kind === 'unmapped') {
    // Nothing to filter by: the responder searches event history for the values the alert quotes.
    links.cloudTrail = trail;
  }
  return links;
}

/** IAM names are at most 64 characters; a longer value is not a name, and a link need not carry all of it. */
const bounded = (value: string, max = 128) => Array.from(value).slice(0, max).join('');
