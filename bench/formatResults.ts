import type { ColdStartResult } from './coldStart';
import type { StartupBreakdown } from './startupProfile';
import type { BurstResult, LatencyResult } from './worker';

export interface BenchFigures {
  date: string;
  seconds: number;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    node: string;
    python: string;
    boto3: string;
    /** 1-minute load average when the bench started and when it ended. */
    loadAverage: [number, number];
  };
  sizes: { name: string; minified: number; zippedCode: number; zipShipped: number; sourceMap: number }[];
  coldStarts: ColdStartResult[];
  startupProfiles: { name: string; breakdown: StartupBreakdown }[];
  instant: LatencyResult;
  emulator: LatencyResult;
  burst: BurstResult;
  burstInProcess: BurstResult;
}

export const BUNDLE_BUDGET = 600_000;
export const COLD_START_RATIO = 1 / 3;
export const CONTAINMENT_BUDGET_MS = 5;
export const BURST_EVENTS_PER_SECOND = 200;

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

function coldStart(figures: BenchFigures, label: string) {
  const found = figures.coldStarts.find((c) => c.label === label);
  if (!found) throw new Error(`no cold start measured for ${label}`);
  return found.summary;
}

/** Each function's cold start (as Lambda configures it) against the boto3 baseline of the same run. */
function ratios(figures: BenchFigures) {
  const boto3 = coldStart(figures, 'boto3').median;
  return figures.sizes.map(({ name }) => ({
    name,
    median: coldStart(figures, name).median,
    ratio: coldStart(figures, name).median / boto3,
    boto3,
  }));
}

function targets(f: BenchFigures): string[][] {
  const b = f.burst;
  return [
    ...f.sizes.map((s) => [
      `bundle ≤ 600 KB minified (${s.name})`,
      kb(s.minified),
      s.minified <= BUNDLE_BUDGET ? 'met' : `**missed** by ${kb(s.minified - BUNDLE_BUDGET)}`,
    ]),
    ...ratios(f).map((r) => [
      `cold start ≤ 1/3 of boto3's (${r.name})`,
      `${r.ratio.toFixed(2)} (${ms(r.median)} vs ${ms(r.boto3)})`,
      r.ratio <= COLD_START_RATIO
        ? 'met'
        : `**missed**: ${ms(r.median - r.boto3 * COLD_START_RATIO)} over ${ms(r.boto3 * COLD_START_RATIO)}`,
    ]),
    [
      '≤ 5 ms median, handler entry → containment request (in-process)',
      ms(f.instant.toContainment.median),
      met(f.instant.toContainment.median <= CONTAINMENT_BUDGET_MS),
    ],
    [
      '≥ 200 events/s in the burst (against the emulator)',
      `${b.eventsPerSecond.toFixed(0)} events/s (in-process: ${f.burstInProcess.eventsPerSecond.toFixed(0)})`,
      b.eventsPerSecond >= BURST_EVENTS_PER_SECOND
        ? 'met'
        : `**missed** by ${(BURST_EVENTS_PER_SECOND - b.eventsPerSecond).toFixed(0)} events/s`,
    ],
    [
      `containment writes = ${b.credentials} (one per credential)`,
      String(b.containmentWrites),
      b.containmentWrites === b.credentials ? 'met' : `**missed**: ${b.containmentWrites - b.credentials} extra`,
    ],
    [
      `alerts = ${b.credentials}`,
      `${b.alertsPublished} published, ${b.alertsDelivered} delivered`,
      b.alertsPublished === b.credentials ? 'met' : `**missed**: ${b.alertsPublished - b.credentials} extra`,
    ],
  ];
}

const partNames = (f: BenchFigures) => [...new Set(f.startupProfiles.flatMap((p) => p.breakdown.parts.map((x) => x.part)))];

const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const machineLine = (f: BenchFigures) =>
  `${f.machine.cores} × ${f.machine.cpu}, ${f.machine.memoryGiB} GiB, ${f.machine.os}; Node ${f.machine.node}, ` +
  `Python ${f.machine.python} with boto3 ${f.machine.boto3}; 1-min load average ${f.machine.loadAverage[0].toFixed(1)} at start, ` +
  `${f.machine.loadAverage[1].toFixed(1)} at end`;

/** The block README.md shows: the latest figures, where they come from, and how to get them again. */
export function formatReadmeBlock(f: BenchFigures): string {
  return [
    `Latest run: ${f.date.slice(0, 16).replace('T', ' ')} UTC, \`npm run bench\` on ${machineLine(f)}. Details and method: [bench/RESULTS.md](bench/RESULTS.md).`,
    '',
    table(['Target', 'Measured', ''], targets(f)),
    '',
  ].join('\n');
}

export function formatResults(f: BenchFigures): string {
  const b = f.burst;
  const bursts = [f.burst, f.burstInProcess];
  const before = (l: LatencyResult) => (l.before.length > 0 ? l.before.map((o) => `\`${o}\``).join(', ') : 'none');
  const latencyRow = (label: string, l: LatencyResult) => [
    label,
    l.events,
    ms(l.toContainment.median),
    ms(l.toContainment.p90),
    ms(l.toContainment.p99),
    ms(l.firstEvent),
    ms(l.invocation.median),
    ms(l.invocation.p99),
  ];
  const bySize = (record: Record<string, number>) =>
    Object.entries(record)
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `\`${k}\` ${v}`)
      .join(', ');
  const nodeEmpty = coldStart(f, 'node (empty)').median;
  const pythonEmpty = coldStart(f, 'python (empty)').median;
  const boto3 = coldStart(f, 'boto3').median;
  return `# Keystop benchmarks

Written by \`npm run bench\` (bench/main.ts) on ${f.date.slice(0, 19).replace('T', ' ')} UTC in ${f.seconds.toFixed(0)} s.
Machine: ${machineLine(f)}. The machine is shared: the load average says how much others were running at the time;
every comparison below is between figures taken in the same run, interleaved.

## Targets

${table(['Target', 'Measured', ''], targets(f))}

## 1. Bundle size per function

Built by \`osls package\` exactly as deployed (serverless-esbuild with serverless.yml's options: bundle, minify, ESM,
node22, main fields module-first, nothing external). 1 KB = 1,000 bytes. The source map is shipped in the zip (stack
traces) but is not code Node parses at start, so the budget counts the minified bundle.

${table(
  ['Function', 'Minified bundle', 'Bundle zipped (deflate -9)', 'Zip as shipped (with map)', 'Source map'],
  f.sizes.map((s) => [s.name, kb(s.minified), kb(s.zippedCode), kb(s.zipShipped), kb(s.sourceMap)]),
)}

## 2. Cold start

Each command is a fresh process, timed from spawn to exit, ${f.coldStarts[0]?.summary.runs} runs each, interleaved. For a
function: \`node <its bundle>\` with the environment Lambda gives it (serverless.yml's variables, the alert topic ARN
standing in for \`!Ref AlertTopic\`, region, credentials): importing the bundle parses the code, validates the config
and the policies, and builds the SDK clients (deps are built at module load). The baseline is what the Python
responders load: \`python3 -c "import boto3; boto3.client('iam'); boto3.client('sns')"\` (the interpreter itself, not a
version manager's shim). Local Node is ${f.machine.node}; Lambda runs nodejs22.x.

${table(
  ['Command', 'Median', 'p90', 'Min', 'Runs'],
  f.coldStarts.map((c) => [
    c.label === 'boto3' ? `boto3 baseline: \`${c.shown.replace(/^\S+/, 'python3')}\`` : c.label,
    ms(c.summary.median),
    ms(c.summary.p90),
    ms(c.summary.min),
    c.summary.runs,
  ]),
)}

${ratios(f)
  .map((r) => `- **${r.name}: ${r.ratio.toFixed(2)} × the boto3 baseline** (median ${ms(r.median)} vs ${ms(r.boto3)}; target ≤ 0.33).`)
  .join('\n')}
- Of that, an empty process costs Node ${ms(nodeEmpty)} and Python ${ms(pythonEmpty)}; loading boto3 and two clients adds
  ${ms(boto3 - pythonEmpty)} to Python, loading a Keystop bundle adds ${ratios(f)
    .map((r) => `${ms(r.median - nodeEmpty)} (${r.name})`)
    .join(', ')} to Node.

Where a function's start-up goes (V8's sampling profiler, ${f.startupProfiles[0]?.breakdown.runs} runs of \`node <bundle>\` each, samples attributed
to packages through the bundle's source map; inclusive, so a part includes what it calls; the profiler slows the run):

${table(
  ['Part', ...f.startupProfiles.map((p) => p.name)],
  [
    ['whole profiled run', ...f.startupProfiles.map((p) => ms(p.breakdown.totalMs))],
    ...partNames(f).map((part) => [part, ...f.startupProfiles.map((p) => ms(p.breakdown.parts.find((x) => x.part === part)?.ms ?? 0))]),
  ],
)}

## 3. Time to containment inside the handler

From the call of the Lambda handler (middy: log context → failure alert → zod parse → adapt → plan → act) to the moment
the containment request (the first IAM write, here \`UpdateAccessKey\`) is handed to the SDK's transport: serialized and
signed, on its way out. Each event names a credential of its own (so that de-duplication, once in place, does not
skip it); events run one at a time through the same deps and handler the Lambda function builds
(\`depsFromEnvironment\` + \`makeHandler\`), with the function's environment; the responder's JSON logs go to stdout as
in Lambda (discarded here).

- **In-process**: every SDK client gets a transport that answers at once (success, empty result): the network is out
  of the figure, every step of the SDK before it (serialize, sign, retry bookkeeping) is in.
- **Emulator**: the SDK's own HTTP transport to moto server on loopback; fewer events, because each one costs the
  emulator real work (users and keys are created for them first).

${table(['Transport', 'Events', 'Median', 'p90', 'p99', 'First event', 'Whole invocation, median', 'Whole invocation, p99'], [latencyRow('in-process (instant answers)', f.instant), latencyRow('HTTP to the local emulator', f.emulator)])}

Requests sent before the containment request: ${before(f.instant)} (in-process), ${before(f.emulator)} (emulator).
In AWS each of these is a round trip to IAM before the key is deactivated. "First event" is the first invocation of
the process (the SDK resolves credentials and endpoints, V8 is cold); a real cold start pays it once.
Sources exercised: ${f.instant.sources.join(', ')}.

## 4. Burst

${b.events} events about ${b.credentials} distinct leaked keys, shuffled (fixed seed), through the real handler against
the local emulator, ${b.concurrency} invocations at a time (the function's reserved concurrency). Each user also has a
decoy key that must stay Active. An invocation that throws is retried later, up to the function's retry count, as
Lambda's asynchronous invocation does. Reports per credential: ${bySize(b.reportKinds)}.

${table(
  ['Figure', 'Against the emulator (HTTP)', 'In-process transport'],
  [
    ['Events per second', ...bursts.map((x) => `${x.eventsPerSecond.toFixed(0)} (${x.events} events in ${x.seconds.toFixed(1)} s)`)],
    ['CPU time of the responder process per event', ...bursts.map((x) => ms(x.cpuMsPerEvent))],
    [`Containment writes (target ${b.credentials})`, ...bursts.map((x) => x.containmentWrites)],
    ['All IAM writes', ...bursts.map((x) => x.iamWrites)],
    [`Alerts published (target ${b.credentials})`, ...bursts.map((x) => x.alertsPublished)],
    ['Alerts delivered to the subscribed queue', b.alertsDelivered, '—'],
    ['Outcomes', ...bursts.map((x) => bySize(x.outcomes))],
    ['Failed invocations (then retried)', ...bursts.map((x) => `${x.failedInvocations} (${x.retriedInvocations} retries)`)],
    ['Named keys Inactive afterwards', `${b.namedKeysInactive} / ${b.credentials}`, '—'],
    ['Decoy keys still Active', `${b.decoysActive} / ${b.credentials}`, '—'],
    [
      'Peak memory (RSS of the process running the handler)',
      ...bursts.map(
        (x) => `${x.peakRssMiB.toFixed(0)} MiB (${x.rssBeforeMiB.toFixed(0)} MiB before; heap peak ${x.peakHeapMiB.toFixed(0)} MiB)`,
      ),
    ],
  ],
)}

Requests the responder sent against the emulator: ${bySize(b.requests)} (${(Object.values(b.requests).reduce((x, y) => x + y, 0) / b.seconds).toFixed(0)} requests/s).
The in-process run is the same burst with the transport that answers at once: what Keystop's own code sustains on
this machine when AWS is not the limit.
Sources exercised: ${b.sources.join(', ')}.

${gaps(f)}
${NOTES}
`;
}

/** For each missed target: by how much, why (from this run's own figures), and what would close it. */
function gaps(f: BenchFigures): string {
  const out: string[] = [];
  const boto3 = coldStart(f, 'boto3').median;
  const nodeEmpty = coldStart(f, 'node (empty)').median;
  const missedCold = ratios(f).filter((r) => r.ratio > COLD_START_RATIO);
  if (missedCold.length > 0) {
    const first = f.sizes[0]!.name;
    const withoutMaps = f.coldStarts.find((c) => c.label === `${first} without --enable-source-maps`)?.summary.median;
    const profile = f.startupProfiles.find((p) => p.name === first)?.breakdown;
    const part = (name: string) => profile?.parts.find((p) => p.part.startsWith(name))?.ms ?? 0;
    out.push(
      `- **Cold start** (${missedCold.map((r) => `${r.name} ${r.ratio.toFixed(2)}`).join(', ')}; target ${COLD_START_RATIO.toFixed(2)}): ` +
        `the budget is ${ms(boto3 * COLD_START_RATIO)} and an empty Node process alone takes ${ms(nodeEmpty)} ` +
        `(${((nodeEmpty / boto3) * 100).toFixed(0)} % of the baseline) on this machine, leaving ${ms(Math.max(0, boto3 * COLD_START_RATIO - nodeEmpty))} for ` +
        `the bundle, which takes ${ms(missedCold[0]!.median - nodeEmpty)}. In the profile of ${first}, V8 compiling the bundle takes ` +
        `${ms(part('compiling'))}, zod ${ms(part('zod'))} (building the schema objects at import), the SDK ${ms(part('AWS SDK'))}, ` +
        `garbage collection ${ms(part('garbage'))}. What would close it, measured where it could be here:\n` +
        (withoutMaps !== undefined
          ? `  - Lambda's \`NODE_OPTIONS=--enable-source-maps\` (serverless.yml) makes Node read and decode the ${kb(f.sizes[0]!.sourceMap)} source map at start: ` +
            `${ms(missedCold[0]!.median - withoutMaps)} of ${first}'s median in this run (${ms(missedCold[0]!.median)} → ${ms(withoutMaps)}). ` +
            `Keeping the map in the zip and turning the flag off (stack traces then mapped offline, or the flag set only while ` +
            `debugging) trades readable traces in the logs for that time.\n`
          : '') +
        `  - zod's classic API builds a full object with every method per schema; \`zod/mini\` (same core, functional API) ` +
        `built a set of object schemas about 4× faster than classic in a side measurement here, and bundled ~75 KB smaller, at the ` +
        `cost of less fluent schemas (\`z.optional(z.string().check(z.minLength(1)))\`).\n` +
        `  - Fewer SDK packages: Lambda always gives credentials in the environment, so the default provider chain ` +
        `(SSO, STS web identity, INI, process, IMDS: ~90 KB minified with their nested STS/SSO clients) could be replaced by ` +
        `\`fromEnv()\` in production.\n` +
        `  - V8's compile cache (Node 22's \`module.enableCompileCache()\`) skips the compile step, but only for a warm ` +
        `cache directory, which a fresh Lambda container does not have.`,
    );
  }
  if (f.instant.toContainment.median > CONTAINMENT_BUDGET_MS) {
    out.push(
      `- **Time to containment**: median ${ms(f.instant.toContainment.median)} in-process, over the ${CONTAINMENT_BUDGET_MS} ms budget by ` +
        `${ms(f.instant.toContainment.median - CONTAINMENT_BUDGET_MS)}; the machine's load (${f.machine.loadAverage[0].toFixed(1)} on ` +
        `${f.machine.cores} cores) is the first suspect: rerun on a quiet machine.`,
    );
  }
  const b = f.burst;
  if (b.eventsPerSecond < BURST_EVENTS_PER_SECOND) {
    const requests = Object.values(b.requests).reduce((x, y) => x + y, 0);
    const perEvent = requests / b.events;
    const perSecond = requests / b.seconds;
    out.push(
      `- **Burst against the emulator**: ${b.eventsPerSecond.toFixed(0)} events/s, ${(BURST_EVENTS_PER_SECOND - b.eventsPerSecond).toFixed(0)} short. ` +
        `Each event costs ${perEvent.toFixed(1)} AWS requests and moto (one Python process) served ${perSecond.toFixed(0)} requests/s, ` +
        `which caps the burst at about ${(perSecond / perEvent).toFixed(0)} events/s whatever the responder does. ` +
        `Keystop's own code needs ${ms(f.burstInProcess.cpuMsPerEvent)} of CPU per event (the in-process burst), about ` +
        `${(1000 / f.burstInProcess.cpuMsPerEvent).toFixed(0)} events/s per core, and ran at ${f.burstInProcess.eventsPerSecond.toFixed(0)} events/s ` +
        `on this machine's share of its ${f.machine.cores} cores. What would close it: de-duplication (below) removes the repeated ` +
        `reports' IAM and SNS calls, so ${b.events - b.credentials} of the ${b.events} events would cost about one de-duplication write instead ` +
        `of ${perEvent.toFixed(1)} calls. In AWS the bound is the function's reserved concurrency divided by the time of one ` +
        `invocation: ${b.concurrency} / ${ms(f.emulator.invocation.median)} (the median against the emulator here) ≈ ` +
        `${(b.concurrency / (f.emulator.invocation.median / 1000)).toFixed(0)} events/s; 200 events/s needs invocations under ` +
        `${ms((b.concurrency / BURST_EVENTS_PER_SECOND) * 1000)} or a higher reserved concurrency.`,
    );
  }
  if (b.containmentWrites !== b.credentials || b.alertsPublished !== b.credentials) {
    out.push(
      `- **Writes and alerts per credential**: ${b.containmentWrites} containment writes and ${b.alertsPublished} alerts for ` +
        `${b.credentials} credentials against the emulator: reports beyond the first about a credential were answered again (see the requests above). ` +
        `The state is still right: ${b.namedKeysInactive ?? '?'} of ${b.credentials} leaked keys Inactive, ${b.decoysActive ?? '?'} decoys Active.`,
    );
  }
  return out.length > 0 ? `## Where a target is missed\n\n${out.join('\n')}\n` : '';
}

/** What the figures mean where a target is missed, and what is still to come; kept with the code that measures them. */
const NOTES = `## Notes

- **De-duplication.** Keystop de-duplicates by credential in its DynamoDB state table (issue 5); the bench goes through
  \`depsFromEnvironment\` and \`makeHandler\` and creates that table on the emulator, so the burst against the emulator
  measures it. The in-process transport keeps no state (every DynamoDB write succeeds, every read finds nothing), so the
  in-process burst answers each report as new: its counts show the cost of the code, not the de-duplication.
- **Blast-radius breaker.** The latency runs and the bursts raise \`KEYSTOP_BREAKER_LIMIT\` to 1,000,000: they contain
  thousands of distinct keys on purpose. With the default (10 containments per account per hour) a burst about 200
  keys contains the first 10 and alerts on the rest, by design.
- **Sources.** The latency runs and the burst use every source in \`src/events/eventSources.ts\` that has a report
  generator in \`bench/reports.ts\` (\`firstReports\`, \`burstReports\`); a new source needs one there to be exercised.
  CloudTrail is not: its incidents are uses of configured honey keys, a different case from a leaked key reported
  several times.
- Peak memory is that of one process running ${'`'}concurrency${'`'} invocations at once; a Lambda container runs one at a time.
`;
