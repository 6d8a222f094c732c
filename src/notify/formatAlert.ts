import type { Credential, CredentialIncident } from '../events/CredentialIncident';
import type { IncidentResponse } from '../IncidentResponse';
import type { Alert } from './Alert';
import { sanitize } from './sanitize';

const SUBJECT_LIMIT = 100;

const headline: Record<IncidentResponse['outcome'], string> = {
  contained: 'CONTAINED',
  notified: 'ALERT',
  ignored: 'IGNORED',
  duplicate: 'DUPLICATE',
  failed: 'containment FAILED',
};

const kindNames: Record<Credential['kind'], string> = {
  'long-term-key': 'long-term access key',
  'user-session': 'temporary session of an IAM user',
  'role-session': 'temporary session of an IAM role',
  'federated-session': 'federated user session',
  'iam-user': 'an IAM user (no specific key named)',
  root: 'root user credentials',
};

const sourceNames: Record<CredentialIncident['source'], string> = {
  guardduty: 'Amazon GuardDuty',
  'security-hub': 'AWS Security Hub',
  health: 'AWS Health',
  cloudtrail: 'CloudTrail',
  manual: 'a responder (keystop contain)',
};

/** Pure: the alert for a response to an incident. */
export function formatAlert(response: IncidentResponse & { incident: CredentialIncident }): Alert {
  const { incident } = response;
  const lines = [
    `Keystop ${headline[response.outcome]}: ${outcomeSentence(response)}`,
    '',
    'WHAT HAPPENED',
    `  ${sanitize(incident.type)} (severity ${incident.severity}, ${incident.severityLabel}), reported by ${sourceNames[incident.source]}${incident.sample ? ' (SAMPLE finding)' : ''}`,
    `  ${sanitize(incident.title, 300)}`,
    `  Observed: ${sanitize(incident.observedAt)}`,
    '',
    'CREDENTIAL',
    ...credentialLines(incident),
    ...evidenceLines(incident),
    '',
    `WHAT KEYSTOP DID (${response.policy ? `policy ${response.policy}` : 'no policy'}; reason: ${response.reason})`,
    `  ${sanitize(response.explanation, 400)}`,
    ...response.actions.map((a) => `  [${a.status}] ${a.type} ${sanitize(a.target)}: ${sanitize(a.reason, 400)}`),
    '',
    'NEXT STEPS',
    ...nextSteps(response).map((step, i) => `  ${i + 1}. ${step}`),
    '',
    `Incident: ${sanitize(incident.id)}`,
  ];
  return {
    subject: subjectOf(response),
    text: lines.join('\n'),
    attributes: {
      outcome: response.outcome,
      severity: incident.severityLabel,
      account: incident.accountId,
      source: incident.source,
      credentialKind: incident.credential.kind,
    },
  };
}

function credentialName(credential: Credential): string {
  switch (credential.kind) {
    case 'long-term-key':
      return `${credential.accessKeyId} (${credential.userName ?? 'owner unknown'})`;
    case 'user-session':
      return `${credential.accessKeyId ?? 'session'} (${credential.userName})`;
    case 'role-session':
      return `${credential.accessKeyId} (role ${credential.roleName})`;
    case 'federated-session':
      return `${credential.accessKeyId} (${credential.principalName})`;
    case 'iam-user':
      return `user ${credential.userName}`;
    case 'root':
      return 'ROOT';
  }
}

function subjectOf(response: IncidentResponse & { incident: CredentialIncident }): string {
  const { incident } = response;
  const subject = sanitize(
    `Keystop ${headline[response.outcome]}: ${credentialName(incident.credential)} in ${incident.accountId} - ${incident.type}`,
    SUBJECT_LIMIT,
  );
  return subject;
}

function outcomeSentence(response: IncidentResponse & { incident: CredentialIncident }): string {
  const who = sanitize(credentialName(response.incident.credential));
  switch (response.outcome) {
    case 'contained':
      return `${who} was contained.`;
    case 'failed':
      return `${who} could NOT be contained. Act by hand now (see NEXT STEPS).`;
    case 'duplicate':
      return `${who} was already handled for this incident.`;
    default:
      return `${who} was reported; nothing was changed (${response.reason}).`;
  }
}

function credentialLines(incident: CredentialIncident): string[] {
  const { credential } = incident;
  const rows: [string, string | undefined][] = [
    ['Kind', kindNames[credential.kind]],
    ['Access key', 'accessKeyId' in credential ? credential.accessKeyId : undefined],
    ['User', 'userName' in credential ? credential.userName : undefined],
    ['Role', credential.kind === 'role-session' ? credential.roleName : undefined],
    ['Principal', credential.kind === 'federated-session' ? credential.principalName : undefined],
    ['Account', incident.accountId],
    ['Region', incident.region],
  ];
  return rows.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${`${k}:`.padEnd(12)}${sanitize(v)}`);
}

function evidenceLines(incident: CredentialIncident): string[] {
  const e = incident.evidence;
  const where = [e.country, e.city, e.asnOrg ?? e.isp].filter(Boolean).map((v) => sanitize(v, 80)).join(', ');
  const rows: [string, string | undefined][] = [
    ['Source IP', e.sourceIp ? `${sanitize(e.sourceIp, 60)}${where ? ` (${where})` : ''}` : undefined],
    ['API call', e.api ? sanitize(`${e.serviceName ? `${e.serviceName} ` : ''}${e.api}`) : undefined],
    ['User agent', e.userAgent ? sanitize(e.userAgent) : undefined],
    ['Exposed at', e.exposedUrl ? sanitize(e.exposedUrl, 300) : undefined],
  ];
  const present = rows.filter(([, v]) => v !== undefined);
  return present.length === 0 ? [] : ['', 'ATTACKER', ...present.map(([k, v]) => `  ${`${k}:`.padEnd(12)}${v}`)];
}

function nextSteps(response: IncidentResponse & { incident: CredentialIncident }): string[] {
  const { credential, accountId, sample } = response.incident;
  if (sample) return ['None: GuardDuty generated this sample finding (CreateSampleFindings); no credential is at risk.'];
  const steps: string[] = [];
  if (credential.kind === 'long-term-key') {
    const user = credential.userName ?? '<owner>';
    if (response.outcome !== 'contained') {
      steps.push(
        `Deactivate the key now: aws iam update-access-key --user-name ${sanitize(user)} --access-key-id ${credential.accessKeyId} --status Inactive`,
      );
    }
    steps.push(
      `Review what the key did: CloudTrail event history filtered by access key ${credential.accessKeyId} (account ${accountId}).`,
      'Find where the key leaked (code, CI logs, images), remove it there, and issue the owner a new key.',
      'Delete the inactive key only after the investigation is closed; it is evidence until then.',
    );
  } else if (credential.kind === 'iam-user') {
    // The report named the user but not the key: which key leaked is for a person to establish, not to guess.
    const user = sanitize(credential.userName);
    steps.push(
      `Find which key of ${user} leaked (the AWS Support case or Health notice names it): aws iam list-access-keys --user-name ${user}`,
      `Deactivate that key: aws iam update-access-key --user-name ${user} --access-key-id <key> --status Inactive`,
      `Keep any AWSCompromisedKeyQuarantine policy AWS attached to ${user} until the key is replaced; review the user's CloudTrail activity (account ${accountId}).`,
    );
  } else if (credential.kind === 'root') {
    steps.push(
      'Sign in as root with MFA and rotate the root password; delete any root access keys.',
      'Review root activity in CloudTrail; check for new IAM users, keys, roles and policies.',
    );
  } else {
    steps.push(
      'Deny the sessions issued before now: an inline policy on the principal with aws:TokenIssueTime.',
      'Review what the session did in CloudTrail, and how its credentials left their workload.',
    );
  }
  return steps;
}
