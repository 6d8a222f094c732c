import type { CredentialIncident } from './CredentialIncident';
import { partitionOf } from './partitionOf';

/** The ARN of the principal holding the credential (the account root for root), in the incident region's partition. */
export function principalArnOf(incident: CredentialIncident): string {
  const { credential, accountId } = incident;
  const partition = partitionOf(incident.region);
  const path = incident.principalPath ?? '/';
  switch (credential.kind) {
    case 'long-term-key':
    case 'user-session':
    case 'iam-user':
      return `arn:${partition}:iam::${accountId}:user${path}${credential.userName ?? ''}`;
    case 'role-session':
      return `arn:${partition}:iam::${accountId}:role${path}${credential.roleName}`;
    case 'federated-session':
      return `arn:${partition}:sts::${accountId}:federated-user/${credential.principalName}`;
    case 'root':
      return `arn:${partition}:iam::${accountId}:root`;
    case 'unmapped':
      return `arn:${partition}:iam::${accountId}:unknown`;
  }
}
