import { principalNameOf } from '../../domain/CredentialIncident';
import type { SandboxReport } from '../sandbox/runSandbox';

const LABELS: Record<string, string> = {
  contained: 'contained',
  notified: 'alerted',
  ignored: 'ignored',
  duplicate: 'duplicate',
  failed: 'failed',
  gone: 'gone',
};

/**
 * Pure: the demo's text. One block per event — what came in, which seeded key stands for the key it named, what
 * Keystop did, the keys before → after, the alert's subject (the full text with `verbose`) — and a closing count.
 */
export function formatDemo(reports: readonly SandboxReport[], { verbose }: { verbose: boolean }): string {
  const blocks = reports.map((report, index) => formatBlock(report, `${index + 1}/${reports.length}`, verbose));
  return `${blocks.join('\n\n')}\n\n${summaryLine(reports)}\n`;
}

function formatBlock(report: SandboxReport, position: string, verbose: boolean): string {
  const { incident } = report;
  const lines = [
    `━━ ${position} ${report.event}: ${incident ? `${incident.source} ${incident.type} (severity ${incident.severity} ${incident.severityLabel}${incident.sample ? ', SAMPLE' : ''})` : 'no credential incident'}`,
  ];
  for (const { original, seeded } of report.seededKeys) lines.push(`   key:     ${original} in the event → ${seeded} seeded`);
  lines.push(`   outcome: ${report.outcome.toUpperCase()} (${report.reason})${report.policy ? `, policy ${report.policy}` : ''}`);
  if (verbose) lines.push(`   why:     ${report.explanation}`);
  for (const action of report.actions.filter((a) => a.type !== 'notify' && a.type !== 'audit')) {
    lines.push(`   - [${action.status}] ${action.type} ${action.target}`);
  }
  const named = incident ? principalNameOf(incident.credential) : undefined;
  for (const principal of report.principals.filter((p) => p.name === named && p.accountId === incident?.accountId)) {
    const before = report.principalsBefore.find((p) => p.name === principal.name && p.accountId === principal.accountId);
    for (const key of principal.keys) {
      const was = before?.keys.find((k) => k.accessKeyId === key.accessKeyId)?.status ?? '(new)';
      lines.push(
        `   keys:    ${principal.name} ${key.accessKeyId} ${was} → ${key.status}${key.named ? '   (the reported key)' : '   (decoy)'}`,
      );
    }
  }
  for (const alert of report.notifications) {
    lines.push(`   alert:   ${alert.subject}`);
    if (verbose) lines.push(...alert.text.split('\n').map((line) => `            │ ${line}`));
  }
  return lines.join('\n');
}

/** "3 contained, 1 alerted, 1 ignored; 5 decoy keys untouched". */
function summaryLine(reports: readonly SandboxReport[]): string {
  const counts = new Map<string, number>();
  for (const report of reports)
    counts.set(LABELS[report.outcome] ?? report.outcome, (counts.get(LABELS[report.outcome] ?? report.outcome) ?? 0) + 1);
  // Every decoy the sandbox created, as it ended: untouched when its status never changed.
  const decoys = new Map<string, boolean>();
  for (const report of reports) {
    for (const principal of report.principals) {
      const before = report.principalsBefore.find((p) => p.name === principal.name && p.accountId === principal.accountId);
      for (const key of principal.keys.filter((k) => !k.named)) {
        const was = before?.keys.find((k) => k.accessKeyId === key.accessKeyId)?.status ?? key.status;
        decoys.set(key.accessKeyId, (decoys.get(key.accessKeyId) ?? true) && was === key.status && key.status === 'Active');
      }
    }
  }
  const untouched = [...decoys.values()].filter(Boolean).length;
  const touched = decoys.size - untouched;
  return `${[...counts].map(([label, n]) => `${n} ${label}`).join(', ')}; ${untouched} decoy key${untouched === 1 ? '' : 's'} untouched${touched > 0 ? `, ${touched} CHANGED` : ''}`;
}
