import type { ActivityReport } from '../activity/ActivityReport';
import { isSummary } from '../activity/isSummary';
import type { AlertDocument } from '../document/AlertDocument';
import { shownStatus } from '../shownStatus';

const sourceNames: Record<string, string> = {
  guardduty: 'Amazon GuardDuty',
  'security-hub': 'AWS Security Hub',
  health: 'AWS Health',
  cloudtrail: 'CloudTrail',
  manual: 'a responder (keystop contain)',
};

/**
 * Pure: the plain text an email subscriber reads at 3 a.m., rendered from the alert document (whose strings are
 * already sanitized): the headline first, then what happened, the credential, the attacker, what Keystop did,
 * what the key did, the runbook and the links.
 */
export function renderAlertText(document: AlertDocument): string {
  const { incident, credential, attacker: a, response } = document;
  const lines: string[] = [document.headline, ''];
  if (incident) {
    lines.push(
      'WHAT HAPPENED',
      `  ${incident.type} (severity ${incident.severity}, ${incident.severityLabel}), reported by ${sourceNames[incident.source] ?? incident.source}${incident.sample ? ' (SAMPLE finding)' : ''}`,
      `  ${incident.title}`,
      `  Observed: ${incident.observedAt}`,
      '',
    );
  }
  if (credential && incident) {
    lines.push(
      'CREDENTIAL',
      ...rows([
        ['Kind', credential.description],
        ['Access key', credential.accessKeyId],
        ['User', credential.userName],
        ['Role', credential.roleName],
        ['Session', credential.sessionName],
        ['Principal', credential.principalName],
        ['Account', incident.accountId],
        ['Region', incident.region],
      ]),
      '',
    );
  }
  const where = [a.country, a.city, a.asnOrg ?? a.isp].filter(Boolean).join(', ');
  const attacker = rows([
    ['Source IP', a.sourceIp ? `${a.sourceIp}${where ? ` (${where})` : ''}` : undefined],
    ['API call', a.api],
    ['User agent', a.userAgent],
    ['Exposed at', a.exposedUrl],
  ]);
  if (attacker.length > 0) lines.push('ATTACKER', ...attacker, '');
  if (document.alertType !== 'activity') {
    lines.push(
      `WHAT KEYSTOP DID (${response.policy ? `policy ${response.policy}` : 'no policy'}; reason: ${response.reason})`,
      `  ${response.explanation}`,
      ...response.actions.map((x) => `  [${shownStatus(response.reason, x.status)}] ${x.type} ${x.target}: ${x.reason}`),
      '',
    );
  }
  const after = document.afterResponse;
  if (after && after.stillUsable.length > 0) lines.push('STILL USABLE AFTER THIS', ...after.stillUsable.map((x) => `  - ${x}`), '');
  if (after && after.impact.length > 0) lines.push('IMPACT OF THE CONTAINMENT', ...after.impact.map((x) => `  - ${x}`), '');
  if (document.activity) lines.push(...activityLines(document.activity), '');
  if (document.nextSteps.length > 0) {
    lines.push(
      `NEXT STEPS${credential ? ` (runbook: ${credential.kind})` : ''}`,
      ...document.nextSteps.map((step, i) => `  ${i + 1}. ${step}`),
      '',
    );
  }
  const links = rows([
    ['Principal', document.links.principal],
    ['Finding', document.links.finding],
    ['CloudTrail', document.links.cloudTrail],
  ]);
  if (links.length > 0) lines.push(`LINKS${incident ? ` (sign in to account ${incident.accountId})` : ''}`, ...links, '');
  // The credential's story (every report, decision, action and alert about it, in order) is one command away.
  if (incident) lines.push(`Incident: ${incident.id}`, `Story:    keystop incidents show ${incident.id}`);
  return lines.join('\n').trimEnd();
}

function activityLines(activity: ActivityReport): string[] {
  if (!isSummary(activity)) {
    const what =
      activity.status === 'pending'
        ? 'still being looked up; it follows in a second message'
        : activity.reason.startsWith(activity.status)
          ? activity.reason
          : `${activity.status}: ${activity.reason}`;
    return ['WHAT THE KEY DID (CloudTrail)', `  ${what}`];
  }
  const lines = [
    `WHAT THE KEY DID (CloudTrail event history, ${activity.window.from} to ${activity.window.to}, ${activity.regions.join(', ')})`,
  ];
  if (activity.status === 'partial') {
    lines.push(
      `  PARTIAL: the lookup stopped at its ${activity.stoppedBy === 'time-limit' ? 'time limit' : 'page cap'} after ${activity.pagesRead} pages; there may be more. Use the CloudTrail link for the rest.`,
    );
  }
  for (const { region, error } of activity.regionErrors) lines.push(`  Lookup failed in ${region}: ${error}`);
  if (activity.eventCount === 0) {
    lines.push('  No events recorded for this key in the window (CloudTrail shows management events only, and can lag ~5 minutes).');
    return lines;
  }
  lines.push(
    `  ${activity.eventCount} events, first ${activity.firstSeen}, last ${activity.lastSeen}`,
    `  From: ${activity.sourceIps.map((s) => `${s.ip} (${s.count})`).join(', ')}`,
    `  Calls: ${activity.calls.map((c) => `${c.name} ${c.count}`).join(', ')}`,
  );
  if (activity.notable.length > 0) {
    lines.push('  Calls that matter most:');
    for (const n of activity.notable) {
      lines.push(
        `    ${n.time} ${n.name}${n.target ? ` ${n.target}` : ''}${n.errorCode ? ` (refused: ${n.errorCode})` : ''} from ${n.sourceIp ?? 'unknown'} in ${n.region}`,
      );
    }
  } else {
    lines.push('  No persistence, privilege or evasion calls among them.');
  }
  return lines;
}

function rows(entries: [string, string | undefined][]): string[] {
  return entries.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `  ${`${k}:`.padEnd(12)}${v}`);
}
