import type { SelftestReport } from '../commands/selftest/runSelftest';

export function formatSelftest(report: SelftestReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`);
  lines.push(report.ok ? `selftest passed: ${report.functionName} answers, alerts, and never contains a sample` : 'selftest FAILED');
  return lines.join('\n');
}
