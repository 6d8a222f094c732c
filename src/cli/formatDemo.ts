import { formatSandboxReport } from './formatSandboxReport';
import type { SandboxReport } from './runSandbox';

/** Pure: the demo's text, one block per event. */
export function formatDemo(reports: readonly SandboxReport[], _options: { verbose: boolean }): string {
  return reports.map((report) => `${formatSandboxReport(report)}\n\n`).join('');
}
