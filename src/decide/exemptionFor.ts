import { type CredentialIncident, principalNameOf } from '../domain/CredentialIncident';
import { globMatches } from '../domain/globMatches';
import { partitionOf } from '../domain/partitionOf';
import { principalArnOf } from '../domain/principalArnOf';

/**
 * Every ARN a person may write for the principal: the IAM ARN with its path (when known) and without it (names are
 * unique in an account whatever the path, so `role/Name` means that role), and for a role session the STS
 * assumed-role ARN that CloudTrail shows.
 */
function principalArnsOf(incident: CredentialIncident): string[] {
  const arns = new Set([principalArnOf(incident), principalArnOf({ ...incident, principalPath: '/' })]);
  const { credential } = incident;
  if (credential.kind === 'role-session') {
    const session = credential.sessionName ?? '*';
    arns.add(`arn:${partitionOf(incident.region)}:sts::${incident.accountId}:assumed-role/${credential.roleName}/${session}`);
  }
  return [...arns];
}

/**
 * The configured exemption that covers this incident's principal, if any. A pattern that starts with `arn:` is
 * matched against the principal's ARNs (any partition: `aws`, `aws-cn`, `aws-us-gov`; with its path, e.g.
 * `arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*`); any other pattern against its name. `*` matches any run
 * of characters, `/` included. A pattern naming a path matches only once the path is known: respond() reads it from
 * IAM before acting whenever an ARN pattern is configured.
 */
export function exemptionFor(incident: CredentialIncident, exemptPrincipals: readonly string[]): string | undefined {
  const name = principalNameOf(incident.credential);
  const arns = principalArnsOf(incident);
  return exemptPrincipals.find((pattern) =>
    pattern.startsWith('arn:') ? arns.some((arn) => globMatches(pattern, arn)) : name !== undefined && globMatches(pattern, name),
  );
}
