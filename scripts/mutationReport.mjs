// Summarises Stryker's JSON report (reports/mutation.json, written by `npm run mutate`) as the tables in
// bench/MUTATION.md: the score per module, and every mutant that survived, with its place and replacement.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation.json', 'utf8'));
const rows = [];
const survivors = [];
const totals = { killed: 0, survived: 0, noCoverage: 0, timeout: 0 };
for (const [file, { mutants, source }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const count = (status) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  if (valid === 0) continue;
  Object.assign(totals, {
    killed: totals.killed + killed,
    timeout: totals.timeout + timeout,
    survived: totals.survived + survived,
    noCoverage: totals.noCoverage + noCoverage,
  });
  rows.push(`| ${file} | ${((100 * detected) / valid).toFixed(1)} | ${detected} | ${survived} | ${noCoverage} |`);
  const lines = source.split('\n');
  for (const m of mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')) {
    const line = lines[m.location.start.line - 1] ?? '';
    const original = line.slice(
      m.location.start.column - 1,
      m.location.end.line === m.location.start.line ? m.location.end.column - 1 : undefined,
    );
    const cell = (text) => `\`${text.trim().replaceAll('|', '\\|').replaceAll('`', "'").slice(0, 70)}\``;
    survivors.push(
      `| ${file}:${m.location.start.line} | ${m.status === 'NoCoverage' ? 'no coverage' : 'survived'} | ${m.mutatorName} | ${cell(original)} → ${cell(m.replacement ?? '')} |`,
    );
  }
}
const valid = totals.killed + totals.timeout + totals.survived + totals.noCoverage;
console.log('| Module | Score % | Killed | Survived | No coverage |\n| --- | ---: | ---: | ---: | ---: |');
console.log(rows.join('\n'));
console.log(
  `| **all** | **${((100 * (totals.killed + totals.timeout)) / valid).toFixed(1)}** | ${totals.killed + totals.timeout} | ${totals.survived} | ${totals.noCoverage} |`,
);
console.log('\n| Where | Status | Mutator | Original → mutant |\n| --- | --- | --- | --- |');
console.log(survivors.join('\n'));
