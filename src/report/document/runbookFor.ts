import { APPROVABLE_REASONS } from '../../decide/awaitsApproval';
import type { CredentialIncident } from '../../domain/CredentialIncident';
import type { AnsweredIncident } from '../../domain/IncidentResponse';
import { sanitize } from './sanitize';

/**
 * Pure: the next steps for a responder, as a short runbook for the kind of credential, adjusted to what Keystop
 * already did. Commands are complete so they can be pasted; names in them are sanitized like any other value.
 */
/** The report's own values, sanitized and bounded, so that a responder can search for them. */
function quoted(entities: readonly string[]): string {
  if (entities.length === 0) return '(nothing)';
  const shown = entities.slice(0, 3).map((entity) => `"${sanitize(entity, 100)}"`);
  return `${shown.join(', ')}${entities.length > shown.length ? ` and ${entities.length - shown.length} more` : ''}`;
}

export function runbookFor(response: AnsweredIncident): string[] {
  const steps = credentialRunbook(response);
  // Second: the first step stays what a person does by hand; approving is the one-step alternative.
  return approvable(response) ? [...steps.slice(0, 1), approveStep(response.incident), ...steps.slice(1)] : steps;
}

function approvable(response: AnsweredIncident): boolean {
  return (
    response.outcome === 'notified' &&
    APPROVABLE_REASONS.has(response.reason) &&
    !response.incident.sample &&
    response.incident.credential.kind !== 'unmapped'
  );
}

/** The one step that approves containment: the command, and the Security Hub action where the finding is there. */
function approveStep(incident: CredentialIncident): string {
  const command = `keystop contain --incident ${sanitize(incident.id, 200)}`;
  return `To have Keystop contain it as the policy for approved incidents says, approve it: ${command}${
    // The custom action exists only where the stack was deployed with securityHubAction: the alert cannot know, so it says.
    incident.origin.productArn
      ? " (or, if the stack has Security Hub's custom action (securityHubAction), select the finding there and choose " +
        'Actions > "Keystop: contain")'
      : ''
  }`;
}

function credentialRunbook(response: AnsweredIncident): string[] {
  const { incident } = response;
  const { credential } = incident;
  if (incident.sample) {
    return ['Nothing to do: GuardDuty generated this sample finding (CreateSampleFindings); no credential is at risk.'];
  }
  if (response.reason === 'keystop-own-principal' || response.reason === 'aws-managed-principal') {
    return protectedRunbook(response.reason, sanitize(credential.kind === 'role-session' ? credential.roleName : '', 64));
  }
  // Tagging the principal is done even when containment failed: only the step that cuts the credential off counts.
  const did = (type: string) => response.actions.some((a) => a.type === type && a.status === 'done');
  const review =
    'Review what the credential did (WHAT THE KEY DID, or the CloudTrail link): look for new users, access keys, login profiles, policies and roles assumed, and undo them.';
  switch (credential.kind) {
    case 'long-term-key': {
      const user = sanitize(credential.userName ?? '<owner: see the key in IAM>', 64);
      const key = sanitize(credential.accessKeyId, 32);
      return [
        did('deactivate-access-key') || did('deactivate-user-keys')
          ? `The key is Inactive, not deleted. If this was a false positive, release it (Keystop's tamper guard deactivates a key re-enabled any other way): keystop release --incident ${sanitize(incident.id, 200)} --reason "<why>"`
          : `Deactivate the key now: aws iam update-access-key --user-name ${user} --access-key-id ${key} --status Inactive`,
        review,
        'Find where the key leaked (code, CI logs, container images, tickets), remove it there, and give the owner a new key.',
        'Delete the inactive key only after the investigation is closed: it is evidence until then.',
      ];
    }
    case 'user-session': {
      const user = sanitize(credential.userName, 64);
      return [
        ...(did('revoke-sessions')
          ? []
          : [
              `Cut off the session: attach to user ${user} an inline policy that denies "*" when aws:TokenIssueTime is earlier than now (sessions issued later keep working).`,
            ]),
        `If the session came from a console sign-in, reset ${user}'s password and MFA; check the user's access keys, which the session may have created.`,
        review,
      ];
    }
    case 'role-session': {
      const role = sanitize(credential.roleName, 64);
      return [
        ...(did('revoke-sessions')
          ? []
          : [
              `Revoke the role's sessions: IAM console, role ${role}, "Revoke active sessions" (an inline deny on aws:TokenIssueTime). Every current session of the role stops working, the workload's too, until it obtains credentials issued after the cut-off.`,
            ]),
        'Find how the credentials left their workload (instance metadata without IMDSv2, SSRF, logs, environment dumps) and close that path.',
        review,
      ];
    }
    case 'federated-session':
      return [
        `A federated session cannot be revoked by itself: find the IAM user whose key called GetFederationToken for ${sanitize(credential.principalName, 64)} (CloudTrail), then deactivate that key or deny its sessions by aws:TokenIssueTime.`,
        review,
      ];
    case 'iam-user': {
      const user = sanitize(credential.userName, 64);
      return [
        `The report names the user, not a key: list its keys and their last use (aws iam list-access-keys --user-name ${user}; aws iam get-access-key-last-used --access-key-id <key>) and deactivate every key the attacker used.`,
        'If AWS attached AWSCompromisedKeyQuarantineV2 to the user, leave it until the investigation is closed.',
        review,
      ];
    }
    case 'root':
      return [
        'Sign in as root with MFA now, change the root password, and delete any root access keys (root should have none).',
        'Check for new IAM users, access keys, roles and policies, and for changes to the account contact and billing details.',
        'If you cannot sign in as root, open an AWS Support case for account recovery at once.',
      ];
    case 'unmapped':
      return [
        `AWS reported a compromise (${sanitize(incident.type, 120)}) but Keystop could not tell which credential it is about. The report names: ${quoted(credential.entities)}.`,
        incident.source === 'health'
          ? 'Open the AWS Support case AWS opened with this notice (AWS Support Center) and the AWS Health event: they name the exposed key. Deactivate it: aws iam update-access-key --user-name <user> --access-key-id <key> --status Inactive'
          : 'Open the finding (LINKS) and read its actors and signals: find each access key and principal it involved, then deactivate the keys and deny the sessions (aws:TokenIssueTime) by hand.',
        review,
      ];
  }
}

/** Principals Keystop never changes: what a person does instead, and what it costs. */
function protectedRunbook(reason: 'keystop-own-principal' | 'aws-managed-principal', role: string): string[] {
  if (reason === 'keystop-own-principal') {
    return [
      `Treat Keystop itself as compromised: a credential of its role ${role} is reported used by someone else. Keystop does not act on its own roles, so this is yours.`,
      `Revoke the role's sessions by hand (IAM console, role ${role}, "Revoke active sessions"): Keystop stops responding until its functions get new credentials, within minutes — watch for alerts you would otherwise miss.`,
      "Check who changed Keystop's code, configuration or roles (CloudTrail: UpdateFunctionCode, UpdateFunctionConfiguration, Put/AttachRolePolicy on /keystop/ roles), and rotate the member role's ExternalId (redeploy with a new externalId, update the StackSet).",
      "Review what the session did (the CloudTrail link): Keystop's roles may write inline policies and tags and deactivate keys in every account it reaches.",
    ];
  }
  return [
    `Role ${role} is managed by AWS. For an IAM Identity Center role (AWSReservedSSO_…), find the person the session belongs to (CloudTrail: the session name is their user name), disable them or remove their permission set assignment in Identity Center, and revoke their active sessions there.`,
    'For a service-linked role (AWSServiceRoleFor…), find which resource of that service was abused and contain it there; the role itself cannot be changed.',
    'Review what the session did (the CloudTrail link) and undo it.',
  ];
}

/** What is still usable after Keystop's response, and what its containment costs the principal's legitimate users. */
export interface AfterResponse {
  /** Ways in that remain open, for the attacker as much as for the owner. */
  stillUsable: string[];
  /** What the containment breaks for people and workloads that rely on the principal. */
  impact: string[];
}

/**
 * Pure: an honest account of what the response left open and what it costs. Keystop touches exactly one credential
 * and the principal's token cut-off; STS sessions already issued cannot be revoked, only denied by policy, and a
 * long-term key or password can mint new ones.
 */
export function afterResponseOf(response: AnsweredIncident): AfterResponse {
  const { incident } = response;
  const { credential } = incident;
  if (incident.sample) return { stillUsable: [], impact: [] };
  // A release undid the containment on purpose: nothing is cut off any more, and nothing breaks.
  if (response.reason === 'released') {
    return { stillUsable: ['the credential itself: its containment was undone on purpose, it works again'], impact: [] };
  }
  const did = (type: string) => response.actions.some((a) => a.type === type && a.status === 'done');
  const nothing = ['the credential itself: Keystop changed nothing, it works as before'];
  switch (credential.kind) {
    case 'long-term-key': {
      const user = sanitize(credential.userName ?? 'the owner', 64);
      const key = sanitize(credential.accessKeyId, 32);
      if (!did('deactivate-access-key') && !did('deactivate-user-keys')) return { stillUsable: nothing, impact: [] };
      return {
        stillUsable: [
          `sessions already minted with ${key} (GetSessionToken up to 36 h, AssumeRole up to 12 h) until they expire: STS cannot revoke them, and ${user}'s sessions were not denied`,
          `${user}'s other access keys and console password, if any: Keystop touched only ${key}`,
          'anything the key created before it was stopped (new users, keys, login profiles, roles it could assume)',
        ],
        impact: [`whatever legitimately used ${key} now fails with InvalidClientTokenId until it gets a new key`],
      };
    }
    case 'user-session': {
      const user = sanitize(credential.userName, 64);
      if (!did('revoke-sessions')) return { stillUsable: nothing, impact: [] };
      return {
        stillUsable: [
          `${user}'s access keys (AKIA…) and console password can mint new sessions: long-term keys carry no token issue time and are not denied, and sessions issued after the cut-off are allowed`,
          'anything the session created before the cut-off',
        ],
        impact: [
          `every session of ${user} issued before the cut-off is denied, the user's own included: they must sign in or call GetSessionToken again`,
        ],
      };
    }
    case 'role-session': {
      const role = sanitize(credential.roleName, 64);
      if (!did('revoke-sessions')) return { stillUsable: nothing, impact: [] };
      return {
        stillUsable: [
          `whoever can assume ${role} again (its trust policy) or reach its credentials (the metadata service of its instances, its functions' environment) gets a new, allowed session`,
          'anything the session created before the cut-off',
        ],
        impact: [
          `every workload and person using ${role} loses access now, not only the attacker: each call fails with AccessDenied until it obtains credentials issued after the cut-off (EC2 instance profiles and Lambda refresh within minutes to an hour; processes that called AssumeRole themselves must assume it again)`,
        ],
      };
    }
    case 'federated-session':
      return {
        stillUsable: [
          'the federated session until it expires (up to 36 h), and the IAM user whose key called GetFederationToken can mint more',
        ],
        impact: [],
      };
    case 'iam-user':
      return {
        stillUsable: [`every access key and the console password of ${sanitize(credential.userName, 64)}: no key was named`],
        impact: [],
      };
    case 'root':
      return { stillUsable: ['the root credentials: no IAM action can contain root'], impact: [] };
    case 'unmapped':
      return { stillUsable: ['whatever credential the report is about: Keystop could not tell which, and changed nothing'], impact: [] };
  }
}
