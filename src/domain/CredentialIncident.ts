/**
 * The one domain type the response core sees. Every adapter in src/sources turns what AWS sent into
 * zero or more of these; nothing below respond() knows which service reported the incident.
 */

export const credentialKinds = [
  'long-term-key',
  'user-session',
  'role-session',
  'federated-session',
  'iam-user',
  'root',
  'unmapped',
] as const;
export type CredentialKind = (typeof credentialKinds)[number];

/**
 * The credential that is compromised, discriminated on what decides its containment:
 * a long-term key can be deactivated; sessions can only be cut off by a TokenIssueTime deny on
 * their principal; root can only be alerted on.
 */
export type Credential =
  /** userName is absent when the report names only the key (AWS Health's minimal shape): the owner is looked up. */
  | { kind: 'long-term-key'; accessKeyId: string; userName?: string }
  /** accessKeyId is absent for a console session that GuardDuty reports without one. */
  | { kind: 'user-session'; accessKeyId?: string; userName: string; recordedBy?: 'principal' }
  /**
   * `recordedBy: 'principal'`: every session of the role (or user) shares one record, whatever its key: a signal that
   * an attacker renews at will (a new session per AssumeRole, src/sources/fromOffensiveUserAgent.ts) is one incident
   * and one alert per principal per de-duplication window, and a session issued after a containment's cut-off is
   * contained again (activityAfterCutOff).
   */
  | { kind: 'role-session'; accessKeyId: string; roleName: string; sessionName?: string; recordedBy?: 'principal' }
  | { kind: 'federated-session'; accessKeyId: string; principalName: string }
  /**
   * A user is named but not the key: AWS attached its quarantine policy to the user, or Security Hub lost the key id.
   * Only a policy that explicitly asks for `deactivate-user-keys` acts on it; by default it is alerted on.
   */
  | { kind: 'iam-user'; userName: string }
  | { kind: 'root'; accessKeyId?: string }
  /**
   * A compromise signal that names no credential Keystop can identify: a placeholder or redacted key, an attack
   * sequence whose actors carry no key, an entity of a shape Keystop does not know. `entities` are the report's own
   * values, quoted as they came, for the responder who has to find the credential by hand. No action applies to it.
   */
  | { kind: 'unmapped'; entities: string[] };

/**
 * `manual`: a responder reported the credential with `keystop contain`. `approved`: a responder approved the containment
 * of an incident Keystop only alerted on (`keystop contain --incident`, or Security Hub's "Keystop: contain" action).
 */
export const incidentSources = ['guardduty', 'security-hub', 'health', 'cloudtrail', 'manual', 'approved'] as const;
export type IncidentSource = (typeof incidentSources)[number];

export type SeverityLabel = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** Where the attacker was seen, as far as the report says. All optional: not every source knows. */
interface Evidence {
  sourceIp?: string;
  country?: string;
  city?: string;
  asnOrg?: string;
  isp?: string;
  api?: string;
  serviceName?: string;
  userAgent?: string;
  exposedUrl?: string;
  description?: string;
}

export interface CredentialIncident {
  /** Stable across redeliveries of the same report: `<source>:<account>:<finding or event id>`. */
  id: string;
  source: IncidentSource;
  /** The finding type or event code, e.g. `UnauthorizedAccess:IAMUser/TorIPCaller`. */
  type: string;
  /** One scale for every source: GuardDuty's 0–10. */
  severity: number;
  severityLabel: SeverityLabel;
  /** The account that owns the credential (GuardDuty's detail.accountId, not the envelope's account). */
  accountId: string;
  /**
   * The account was named only inside the report's content (an attack sequence's actor in an account other than the
   * finding's own), not by the report's own account field: Keystop acts there only when the account is listed by id.
   */
  accountNamedOnlyInContent?: boolean;
  /**
   * The IAM path of the user or role (`/`, `/aws-reserved/sso.amazonaws.com/`, …), read live from IAM before acting;
   * undefined when it was not read. Exemption ARN patterns and Keystop's self-protection use it.
   */
  principalPath?: string;
  region: string;
  /** When the activity was observed (ISO 8601). */
  observedAt: string;
  /** When the reported activity was first seen, where the source says (GuardDuty's eventFirstSeen): time-to-contain starts there. */
  firstSeenAt?: string;
  credential: Credential;
  /** A generated sample finding: never contained, whatever the policies say. */
  sample: boolean;
  /** A backup-region delivery of an event already delivered in its primary region. */
  backupDelivery: boolean;
  /**
   * The source says this report repeats one it delivered before (GuardDuty's later notification of a finding:
   * isLaterNotification). It only orders Keystop's requests (a likely duplicate asks its record first), never decides.
   */
  repeated?: true;
  /**
   * Security Hub re-sent the finding after someone (Keystop's note, or anyone allowed BatchUpdateFindings) updated it:
   * possibly an echo of a report already answered. It only routes the report to the exact path, which reads the
   * credential's record before acting (src/decide/isRecordedEcho.ts); never decides.
   */
  updatedByCustomer?: true;
  title: string;
  evidence: Evidence;
  /** Identifiers of the report itself, for links and audit. */
  origin: {
    findingId: string;
    findingArn?: string;
    eventId: string;
    /** Security Hub's ProductArn of the finding, which BatchUpdateFindings needs with its Id. */
    productArn?: string;
  };
}

export function severityLabelOf(severity: number): SeverityLabel {
  if (severity >= 9) return 'CRITICAL';
  if (severity >= 7) return 'HIGH';
  if (severity >= 4) return 'MEDIUM';
  return 'LOW';
}

/** The name of the IAM principal that holds the credential, when there is one. */
export function principalNameOf(credential: Credential): string | undefined {
  switch (credential.kind) {
    case 'long-term-key':
    case 'user-session':
    case 'iam-user':
      return credential.userName;
    case 'role-session':
      return credential.roleName;
    case 'federated-session':
      return credential.principalName;
    case 'root':
    case 'unmapped':
      return undefined;
  }
}

/** The IAM user or role that holds the credential, when it is known and is one (not root, not a federated user). */
export function iamPrincipalOf(credential: Credential): { kind: 'user' | 'role'; name: string } | undefined {
  switch (credential.kind) {
    case 'role-session':
      return { kind: 'role', name: credential.roleName };
    case 'user-session':
    case 'iam-user':
      return { kind: 'user', name: credential.userName };
    case 'long-term-key':
      return credential.userName ? { kind: 'user', name: credential.userName } : undefined;
    case 'federated-session':
    case 'root':
    case 'unmapped':
      return undefined;
  }
}
