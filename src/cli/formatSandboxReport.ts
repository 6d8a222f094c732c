import { principalNameOf } from '../events/CredentialIncident';
import type { SandboxReport } from './runSandbox';

/** Pure: a sandbox report as a person reads it in a terminal. */
export function formatSandboxReport(report: SandboxReport): string {
  const lines: string[] = [`━━ ${report.event}`];
  const { incident } = report;
  lines.push(
    incident
      ? `In:      ${incident.type} from ${incident.source} (severity ${incident.severity} ${incident.severityLabel}${incident.sample ? ', SAMPLE' : ''})`
      : 'In:      an event that carries no credential incident',
  );
  lines.push(`Outcome: ${report.outcome.toUpperCase()} (${report.reason})`);
  lines.push(`Why:     ${report.explanation}`);
  for (const action of report.actions) lines.push(`  - [${action.status}] ${action.type} ${action.target}: ${action.reason}`);
  // Only the principals this event is about: the one its incident names.
  const named = incident ? principalNameOf(incident.credential) : undefined;
  const relevant = report.principals.filter((p) => p.name === named && p.accountId === incident?.accountId);
  if (relevant.length > 0) {
    lines.push('Keys (before → after):');
    for (const principal of relevant) {
      for (const key of principal.keys) {
        const was = report.principalsBefore
          .find((p) => p.name === principal.name && p.accountId === principal.accountId)
          ?.keys.find((k) => k.accessKeyId === key.accessKeyId);
        const change = `${was?.status ?? '(new)'} → ${key.status}`;
        lines.push(`  ${principal.name} ${key.accessKeyId} ${change}${key.named ? '  ← named in the event' : '  (other key of the user)'}`);
      }
      if (principal.inlinePolicies.length > 0) lines.push(`  ${principal.name} inline policies: ${principal.inlinePolicies.join(', ')}`);
    }
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
