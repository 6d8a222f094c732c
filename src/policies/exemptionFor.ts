import { principalNameOf, type CredentialIncident } from '../events/CredentialIncident';

/** The ARN of the principal holding the credential (the account root for root). */
export function principalArnOf(incident: CredentialIncident): string {
  const { credential, accountId } = incident;
  switch (credential.kind) {
    case 'long-term-key':
    case 'user-session':
    case 'iam-user':
      return `arn:aws:iam::${accountId}:user/${credential.userName ?? ''}`;
    case 'role-session':
      return `arn:aws:iam::${accountId}:role/${credential.roleName}`;
    case 'federated-session':
      return `arn:aws:sts::${accountId}:federated-user/${credential.principalName}`;
    case 'root':
      return `arn:aws:iam::${accountId}:root`;
  }
}

/** The configured exemption that covers this incident's principal, if any. */
export function exemptionFor(incident: CredentialIncident, exemptPrincipals: string[]): string | undefined {
  const name = principalNameOf(incident.credential);
  const arn = principalArnOf(incident);
  return exemptPrincipals.find((pattern) =>
    pattern.startsWith('arn:') ? globMatches(pattern, arn) : name !== undefined && globMatches(pattern, name),
  );
}

function globMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return regex.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
