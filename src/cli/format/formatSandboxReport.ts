import { principalNameOf } from '../../domain/CredentialIncident';
import type { PrincipalState } from '../../local/CredentialSeeder';
import type { SandboxReport } from '../sandbox/runSandbox';

/** Pure: a sandbox report as a person reads it in a terminal. */
export function formatSandboxReport(report: SandboxReport): string {
  const lines: string[] = [`━━ ${report.event}`];
  const { incident } = report;
  const call = report.recordedCall;
  const finding = incident
    ? `${incident.type} from ${incident.source} (severity ${incident.severity} ${incident.severityLabel}${incident.sample ? ', SAMPLE' : ''})`
    : undefined;
  if (call) {
    // The tamper guard answers with the incident Keystop contained earlier: say that it is that one, not this event.
    lines.push(`In:      ${call.api} by ${call.by}, recorded by CloudTrail`);
    if (finding && incident?.source !== 'cloudtrail') lines.push(`About:   incident ${incident!.id}, ${finding}`);
    lines.push(
      call.applied
        ? `Replayed: ${call.detail} (on the emulator, as the caller did in AWS, before Keystop ran)`
        : `Replayed: nothing: ${call.detail}`,
    );
  } else {
    lines.push(finding ? `In:      ${finding}` : 'In:      an event that carries no credential incident');
  }
  // The emulator cannot hold the event's own key ids: every id below (actions, keys, alert) is the seeded stand-in.
  for (const { original, seeded } of report.seededKeys) lines.push(`Key:     ${original} in the event → ${seeded} seeded on the emulator`);
  lines.push(`Outcome: ${report.outcome.toUpperCase()} (${report.reason})`);
  lines.push(`Why:     ${report.explanation}`);
  for (const action of report.actions) lines.push(`  - [${action.status}] ${action.type} ${action.target}: ${action.reason}`);
  // Only the principals this event is about: the one its incident names, the one a recorded call changed.
  const named = incident ? principalNameOf(incident.credential) : undefined;
  const relevant = report.principals.filter(
    (p) =>
      (p.name === named && p.accountId === incident?.accountId) ||
      (call?.principal && p.name === call.principal.name && p.kind === call.principal.kind && p.accountId === call.principal.accountId),
  );
  const changes: string[] = [];
  if (relevant.length > 0) {
    const stateIn = (states: PrincipalState[], principal: PrincipalState) =>
      states.find((p) => p.name === principal.name && p.kind === principal.kind && p.accountId === principal.accountId);
    for (const principal of relevant) {
      const stages = [...(call ? [stateIn(call.principalsBefore, principal)] : []), stateIn(report.principalsBefore, principal), principal];
      // Every key seen at any stage: a recorded CreateAccessKey may have deleted the seeded decoy to make room.
      const keys = [...new Map(stages.flatMap((p) => p?.keys ?? []).map((k) => [k.accessKeyId, k])).values()];
      for (const key of keys) {
        let seen = false;
        const change = stages
          .map((p) => {
            const status = p?.keys.find((k) => k.accessKeyId === key.accessKeyId)?.status;
            seen ||= status !== undefined;
            return status ?? (seen ? '(deleted)' : '(new)');
          })
          .join(' → ');
        changes.push(
          `  ${principal.name} ${key.accessKeyId} ${change}${key.named ? '  ← named in the event' : '  (other key of the user)'}`,
        );
      }
      const policies = stages.map((p) => (p?.inlinePolicies.length ? p.inlinePolicies.join(', ') : '(none)'));
      if (call && new Set(policies).size > 1) changes.push(`  ${principal.name} inline policies: ${policies.join(' → ')}`);
      else if (principal.inlinePolicies.length > 0)
        changes.push(`  ${principal.name} inline policies: ${principal.inlinePolicies.join(', ')}`);
    }
  }
  if (changes.length > 0) {
    lines.push(call ? 'Keys (before → after the recorded call → after Keystop):' : 'Keys (before → after):', ...changes);
  }
  for (const alert of report.notifications) {
    lines.push('', `Alert delivered — subject: ${alert.subject}`, ...alert.text.split('\n').map((l) => `  │ ${l}`));
  }
  if (report.metrics) {
    lines.push('', 'Metrics (CloudWatch, namespace Keystop; service and Stage dimensions left out):');
    for (const metric of report.metrics) {
      const { service: _service, Stage: _stage, ...dimensions } = metric.dimensions;
      const by = Object.entries(dimensions)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ');
      lines.push(`  ${metric.name}${by ? ` {${by}}` : ''} = ${JSON.stringify(metric.value)} ${metric.unit}`);
    }
  }
  return lines.join('\n');
}
