import type { Credential } from '../../domain/CredentialIncident';
import type { AnsweredIncident } from '../../domain/IncidentResponse';
import { principalArnOf } from '../../domain/principalArnOf';
import type { ActivityReport } from '../activity/ActivityReport';
import type { AlertDocument } from './AlertDocument';
import { ALERT_SCHEMA, ALERT_SCHEMA_VERSION } from './alertSchema';
import { consoleLinks } from './consoleLinks';
import { afterResponseOf, runbookFor } from './runbookFor';
import { sanitize, sanitizeAscii } from './sanitize';

/** The longest subject SNS email takes without cutting it. */
export const SUBJECT_LIMIT = 100;

const kindDescriptions: Record<Credential['kind'], string> = {
  'long-term-key': 'long-term access key of an IAM user',
  'user-session': 'temporary session of an IAM user',
  'role-session': 'temporary session of an IAM role',
  'federated-session': 'federated user session',
  'iam-user': 'an IAM user (no specific key named)',
  root: 'root user credentials',
  unmapped: 'a credential the report does not identify (see the quoted entities)',
};

/**
 * Pure: the one document about a response to an incident, from which every alert format (the JSON document, the email
 * text, Chatbot), the audit event and the Security Hub note are built: sanitized once, here. `activity` is what the
 * key did, when it is known.
 */
export function alertDocumentOf(response: AnsweredIncident, activity: ActivityReport | null): AlertDocument {
  const { incident } = response;
  const { credential, evidence: e } = incident;
  const text = (value: string | undefined, max = 200) => (value === undefined ? undefined : sanitize(value, max));
  return {
    schema: ALERT_SCHEMA,
    version: ALERT_SCHEMA_VERSION,
    alertType: 'response',
    subject: sanitizeAscii(
      `Keystop ${headlineOf(response)}: ${credentialName(credential)} in ${incident.accountId} - ${shortType(incident.type)}`,
      SUBJECT_LIMIT,
    ),
    headline: `Keystop ${headlineOf(response)}: ${outcomeSentence(response)}`,
    incident: compactObject({
      id: sanitize(incident.id, 300),
      source: incident.source,
      type: sanitize(incident.type, 120),
      title: sanitize(incident.title, 300),
      severity: incident.severity,
      severityLabel: incident.severityLabel,
      accountId: sanitize(incident.accountId, 20),
      region: sanitize(incident.region, 30),
      observedAt: sanitize(incident.observedAt, 40),
      sample: incident.sample,
      findingId: sanitize(incident.origin.findingId, 300),
      findingArn: text(incident.origin.findingArn, 400),
    }),
    credential: compactObject({
      kind: credential.kind,
      description: kindDescriptions[credential.kind],
      accessKeyId: 'accessKeyId' in credential ? text(credential.accessKeyId, 32) : undefined,
      userName: 'userName' in credential ? text(credential.userName, 128) : undefined,
      roleName: credential.kind === 'role-session' ? text(credential.roleName, 128) : undefined,
      sessionName: credential.kind === 'role-session' ? text(credential.sessionName, 128) : undefined,
      principalName: credential.kind === 'federated-session' ? text(credential.principalName, 128) : undefined,
      principalArn: sanitize(principalArnOf(incident), 300),
    }),
    attacker: compactObject({
      sourceIp: text(e.sourceIp, 60),
      country: text(e.country, 80),
      city: text(e.city, 80),
      asnOrg: text(e.asnOrg, 120),
      isp: text(e.isp, 120),
      api: e.api ? sanitize(`${e.serviceName ? `${e.serviceName} ` : ''}${e.api}`, 160) : undefined,
      userAgent: text(e.userAgent, 300),
      exposedUrl: text(e.exposedUrl, 400),
    }),
    response: {
      outcome: response.outcome,
      reason: sanitize(response.reason, 80),
      explanation: sanitize(response.explanation, 500),
      policy: response.policy === undefined ? null : sanitize(response.policy, 80),
      actions: response.actions.slice(0, 20).map((a) => ({
        type: sanitize(a.type, 60),
        status: a.status,
        target: sanitize(a.target, 200),
        reason: sanitize(a.reason, 400),
      })),
    },
    nextSteps: [...breakerSteps(response), ...runbookFor(response)],
    afterResponse: afterResponseOf(response),
    links: consoleLinks(incident),
    activity: activity === null ? null : sanitizeActivity(activity),
  };
}

/** CloudTrail's records are written by whoever held the key: every string in them is bounded and neutralised. */
function sanitizeActivity(activity: ActivityReport): ActivityReport {
  if (!('calls' in activity)) return { status: activity.status, reason: sanitize(activity.reason, 400) };
  return {
    ...activity,
    accessKeyId: sanitize(activity.accessKeyId, 32),
    regions: activity.regions.slice(0, 20).map((r) => sanitize(r, 30)),
    regionErrors: activity.regionErrors.slice(0, 20).map((r) => ({ region: sanitize(r.region, 30), error: sanitize(r.error, 300) })),
    calls: activity.calls.slice(0, 20).map((c) => ({ name: sanitize(c.name, 100), count: c.count })),
    sourceIps: activity.sourceIps.slice(0, 10).map((s) => ({ ip: sanitize(s.ip, 100), count: s.count })),
    notable: activity.notable.slice(0, 20).map((n) =>
      compactObject({
        time: sanitize(n.time, 40),
        name: sanitize(n.name, 100),
        region: sanitize(n.region, 30),
        sourceIp: n.sourceIp === undefined ? undefined : sanitize(n.sourceIp, 100),
        errorCode: n.errorCode === undefined ? undefined : sanitize(n.errorCode, 100),
        target: n.target === undefined ? undefined : sanitize(n.target, 200),
      }),
    ),
  };
}

function headlineOf(response: AnsweredIncident): string {
  switch (response.outcome) {
    case 'contained':
      switch (response.reason) {
        case 'key-re-enabled':
          return 'RE-CONTAINED';
        case 'session-after-cutoff':
          return 'RE-CONTAINED (new session)';
        case 'tampered':
          return 'RE-CONTAINED (tampered)';
        case 'escalated':
          return 'CONTAINED (escalated)';
        case 'already-inactive':
          return 'CONTAINED (already inactive)';
        default:
          // Denying a user's sessions leaves the keys and password that mint new ones: say so where it is read first.
          return response.incident.credential.kind === 'user-session' ? 'SESSIONS DENIED' : 'CONTAINED';
      }
    case 'gone':
      return 'GONE';
    case 'failed':
      return response.reason === 'access-denied' ? 'containment REFUSED by IAM' : 'containment FAILED';
    case 'duplicate':
    case 'ignored':
      return neverAlerted(response);
    case 'notified':
      switch (response.reason) {
        case 'dry-run':
          return 'DRY RUN';
        case 'sample-finding':
          return 'SAMPLE';
        case 'exempt-principal':
          return 'EXEMPT';
        case 'breaker-open':
        case 'still-held':
          return 'HELD by the breaker';
        case 'tampered':
          return 'TAMPERING';
        case 'responder-change':
          return 'RELEASED by a responder';
        case 'released':
          return 'RELEASED';
        case 'approval-refused':
          return 'APPROVAL REFUSED';
        default:
          return 'ACTION NEEDED';
      }
  }
}

/** Duplicates and ignored events are answered without an alert (docs/alert-schema.md): no text is written for them. */
function neverAlerted(response: AnsweredIncident): never {
  throw new Error(`Keystop sends no alert for the outcome ${response.outcome} (${response.reason})`);
}

export function credentialName(credential: Credential): string {
  const s = (value: string | undefined) => sanitize(value, 64);
  switch (credential.kind) {
    case 'long-term-key':
      return `${s(credential.accessKeyId)} (${credential.userName ? s(credential.userName) : 'owner unknown'})`;
    case 'user-session':
      return `${credential.accessKeyId ? s(credential.accessKeyId) : 'session'} (${s(credential.userName)})`;
    case 'role-session':
      return `${s(credential.accessKeyId)} (role ${s(credential.roleName)})`;
    case 'federated-session':
      return `${s(credential.accessKeyId)} (${s(credential.principalName)})`;
    case 'iam-user':
      return `user ${s(credential.userName)}`;
    case 'root':
      return 'ROOT';
    case 'unmapped':
      return 'UNIDENTIFIED credential';
  }
}

function outcomeSentence(response: AnsweredIncident): string {
  const who = credentialName(response.incident.credential);
  const done = response.actions.filter((a) => a.status === 'done').map((a) => sanitize(a.reason, 200));
  switch (response.outcome) {
    case 'contained':
      switch (response.reason) {
        case 'tampered':
          return `${who}: ${sanitize(response.explanation, 400)} (${done.join('; ')}). Find out who did it and why (see NEXT STEPS).`;
        case 'key-re-enabled':
          return `${who} had been contained by Keystop and was found Active again (someone re-enabled it): contained again (${done.join('; ')}). Find out who re-enabled it (see NEXT STEPS).`;
        case 'session-after-cutoff':
          return `${who}: ${sanitize(response.explanation, 400)} (${done.join('; ')}). Whatever issued that session (the user's password or keys, a role's trust) is in the attacker's hands too (see NEXT STEPS).`;
        case 'escalated':
          return `${who} was only alerted on (or held) before; a stronger report calls for containment: ${done.join('; ') || 'nothing needed writing'}.`;
        case 'already-inactive':
          return `${who} was already Inactive when Keystop acted: not written again${done.length > 0 ? `; ${done.join('; ')}` : ''}.`;
        default:
          return response.incident.credential.kind === 'user-session'
            ? `${who}: ${done.join('; ')}. The user's access keys and console password can still mint new sessions (see STILL USABLE).`
            : `${who}: ${done.join('; ')}.`;
      }
    case 'gone':
      return `${who} no longer exists in IAM (deleted before Keystop acted): nothing is left to contain. Check who deleted it and what it did (see NEXT STEPS).`;
    case 'failed':
      return response.reason === 'access-denied'
        ? `${who} could NOT be contained: IAM refused (${sanitize(response.explanation, 200)}). Retrying cannot help; act by hand now (see NEXT STEPS).`
        : `${who} could NOT be contained. Act by hand now (see NEXT STEPS).`;
    case 'duplicate':
    case 'ignored':
      return neverAlerted(response);
    case 'notified':
      switch (response.reason) {
        case 'dry-run':
          return `${who} was NOT contained because Keystop runs in dry-run; the actions below are what it would have done.`;
        case 'sample-finding':
          return `${who} appears in a generated sample finding; nothing is at risk and nothing was changed.`;
        case 'exempt-principal':
          return `${who} belongs to a principal exempt from automatic containment; nothing was changed. Decide by hand (see NEXT STEPS).`;
        case 'matched':
          return `${who} was reported, but no containment action of policy ${sanitize(response.policy, 80)} applies to a ${response.incident.credential.kind}; nothing was changed. Act by hand (see NEXT STEPS).`;
        case 'no-applicable-action':
          return `${who} was reported, but no containment action applies to a ${response.incident.credential.kind}; nothing was changed. Act by hand (see NEXT STEPS).`;
        case 'account-not-allowed':
          return `${who} is in account ${sanitize(response.incident.accountId, 20)}, where Keystop is not allowed to act; nothing was changed. Act by hand in that account (see NEXT STEPS).`;
        case 'keystop-own-principal':
          return `${who} belongs to one of Keystop's own roles; Keystop never contains itself, so nothing was changed. Act by hand now: Keystop itself may be compromised (see NEXT STEPS).`;
        case 'aws-managed-principal':
          return `${who} belongs to a role AWS manages (Identity Center or service-linked); Keystop does not change it, so nothing was changed. Act by hand (see NEXT STEPS).`;
        case 'no-matching-policy':
          return `${who} was reported, but no response policy matches it; nothing was changed. Decide by hand (see NEXT STEPS).`;
        case 'unmapped-signal':
          return `AWS reported a compromise (${sanitize(response.incident.type, 120)}) but Keystop could not tell which credential it is about; nothing was changed. Find it and act by hand now (see NEXT STEPS).`;
        case 'notify-only-policy':
          return `${who} was reported under an alert-only policy; nothing was changed. Decide by hand (see NEXT STEPS).`;
        case 'tampered':
          return `${who}: ${sanitize(response.explanation, 400)}.`;
        case 'responder-change':
        case 'released':
          return `${who}: ${sanitize(response.explanation, 400)}. ${response.actions
            .filter((a) => a.status === 'done')
            .map((a) => sanitize(a.reason, 200))
            .join('; ')}`;
        case 'breaker-open':
        case 'still-held':
          return `${who} was NOT contained: the blast-radius breaker of account ${sanitize(response.incident.accountId, 20)} is open. Check the other containments, then run \`keystop breaker reset --contain-held\` to contain it (see NEXT STEPS).`;
        default:
          return `${who} was reported; Keystop changed nothing (${sanitize(response.reason, 80)}). Act by hand (see NEXT STEPS).`;
      }
  }
}

/** When the breaker held the containment: how to let it go ahead once the burst is understood. */
function breakerSteps(response: AnsweredIncident): string[] {
  if (response.reason !== 'breaker-open' && response.reason !== 'still-held') return [];
  const account = sanitize(response.incident.accountId, 20);
  return [
    `The blast-radius breaker held this containment. Check the account's other containments (keystop breaker status --account ${account}); ` +
      `if they are real, contain the held credentials now: keystop breaker reset --account ${account} --contain-held`,
  ];
}

/** The finding type's last part (`TorIPCaller` of `UnauthorizedAccess:IAMUser/TorIPCaller`): it fits a subject. */
const shortType = (type: string) => type.split('/').at(-1) ?? type;

/** Drops undefined fields so the JSON holds only what is known. */
function compactObject<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
