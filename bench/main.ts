/**
 * `npm run bench`: measures what decides how fast Keystop contains a leaked credential, and writes bench/RESULTS.md
 * (and the figures block of docs/performance.md). Not a test: it reports, it does not pass or fail on timings.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { LOCAL_CREDENTIALS } from '../src/local/localClients';
import { startLocalAws } from '../src/local/startLocalAws';
import { lambdaEnvironment, packagedFunctions, unpack } from '../test/support/packagedFunctions';
import { type ColdStartCommand, measureColdStarts, realPython } from './coldStart';
import { type BenchFigures, formatReadmeBlock, formatResults } from './formatResults';
import { packageForBench, resourcesOfType } from './packageForBench';
import { runWorker } from './runWorker';
import { profileStartup, type StartupBreakdown } from './startupProfile';
import type { BurstResult, LatencyResult, RoundTripResult } from './worker';

const root = fileURLToPath(new URL('..', import.meta.url));
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const COLD_RUNS = setting('BENCH_COLD_RUNS', 25);
const INSTANT_EVENTS = setting('BENCH_INSTANT_EVENTS', 2_000);
const EMULATOR_EVENTS = setting('BENCH_EMULATOR_EVENTS', 100);
const RTT_EVENTS = setting('BENCH_RTT_EVENTS', 20);
const RTT_MS = setting('BENCH_RTT_MS', 25);
const BURST_CREDENTIALS = setting('BENCH_BURST_CREDENTIALS', 200);

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const started = new Date();
const loadAtStart = loadavg();

log('packaging with osls package (serverless-esbuild, the production build)…');
const { template, dir } = await packageForBench();
const functions = await packagedFunctions(template, dir);
const sizes = functions.map((fn) => ({
  name: fn.name,
  minified: fn.bundle.size,
  zippedCode: deflateRawSync(fn.bundle.content, { level: 9 }).length,
  zipShipped: fn.zipSize,
  sourceMap: fn.files.find((f) => f.name === `${fn.bundle.name}.map`)?.size ?? 0,
}));

log(`cold starts: ${COLD_RUNS} runs of each command, interleaved…`);
const python = realPython();
if (!python) throw new Error('python3 with boto3 is needed for the baseline (pip install boto3)');
const bare = { PATH: process.env.PATH ?? '' };
const commands: ColdStartCommand[] = [];
const startupProfiles: { name: string; breakdown: StartupBreakdown }[] = [];
for (const fn of functions) {
  const file = await unpack(fn, await mkdtemp(join(tmpdir(), `keystop-bench-${fn.name}-`)));
  // Lambda runs nodejs24.x, where the SDK's check of the Node version finds nothing to say; on the local Node 20 it
  // would write a seven-line warning to stderr at every start, a cost Lambda never pays.
  const env: Record<string, string> = {
    ...bare,
    ...lambdaEnvironment(template, fn),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  startupProfiles.push({ name: fn.name, breakdown: await profileStartup(file, env, 3) });
  commands.push({ label: fn.name, command: process.execPath, args: [file], env });
  // What --enable-source-maps (the debug setting) costs, shown once (for the first function) to keep the run short.
  if (fn === functions[0]) {
    const { NODE_OPTIONS: options = '', ...rest } = env;
    const withMaps = options.includes('--enable-source-maps');
    const other = withMaps ? options.replace('--enable-source-maps', '').trim() : `${options} --enable-source-maps`.trim();
    commands.push({
      label: `${fn.name} ${withMaps ? 'without' : 'with'} --enable-source-maps`,
      command: process.execPath,
      args: [file],
      env: other ? { ...rest, NODE_OPTIONS: other } : rest,
    });
  }
}
const awsEnv = { ...bare, AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1', ...credentialsEnv() };
commands.push(
  { label: 'boto3', command: python.executable, args: ['-c', "import boto3; boto3.client('iam'); boto3.client('sns')"], env: awsEnv },
  { label: 'node (empty)', command: process.execPath, args: ['-e', '0'], env: bare },
  { label: 'python (empty)', command: python.executable, args: ['-c', 'pass'], env: bare },
);
const coldStarts = measureColdStarts(commands, COLD_RUNS, python.executable);

const [first] = functions;
if (!first) throw new Error('osls package produced no function');
// The blast-radius breaker stops automatic containment after KEYSTOP_BREAKER_LIMIT keys per account and window (10 per
// hour by default), by design; the bench contains thousands of keys on purpose, so it raises the limit.
const functionEnv: Record<string, string> = { ...lambdaEnvironment(template, first), KEYSTOP_BREAKER_LIMIT: '10000' };
log(`time to containment, in-process transport: ${INSTANT_EVENTS} events…`);
const instant = (await runWorker(functionEnv, 'instant', INSTANT_EVENTS)) as LatencyResult;
// Lambda runs at most the function's reserved concurrency at once, and retries a failed event MaximumRetryAttempts times.
const firstFunction = resourcesOfType(template, 'AWS::Lambda::Function')[0]?.[1];
const concurrency = Number(firstFunction?.Properties.ReservedConcurrentExecutions ?? 10);
const retries = String(resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')[0]?.[1].Properties.MaximumRetryAttempts ?? 2);
log(`burst with the in-process transport: ${BURST_CREDENTIALS} credentials, ${concurrency} at a time…`);
const burstInProcess = (await runWorker(
  { ...functionEnv, BENCH_MAX_RETRIES: retries },
  'burst-instant',
  BURST_CREDENTIALS,
  concurrency,
)) as BurstResult;

log('starting the local AWS emulator (moto server)…');
const aws = await startLocalAws();
let emulator: LatencyResult;
let burst: BurstResult;
const roundTrips: RoundTripResult[] = [];
try {
  const emulatorEnv = { ...functionEnv, AWS_ENDPOINT_URL: aws.endpoint, ...credentialsEnv() };
  // The tag check as serverless.yml deploys it, then with exemptions by name/ARN only (exemptTag '').
  for (const exemptTag of [functionEnv.KEYSTOP_EXEMPT_TAG ?? '', '']) {
    log(`round trips through a ${RTT_MS} ms latency proxy, exemptTag '${exemptTag}': ${RTT_EVENTS} reports and their duplicates…`);
    const env = { ...emulatorEnv, KEYSTOP_EXEMPT_TAG: exemptTag, BENCH_RTT_MS: String(RTT_MS) };
    roundTrips.push((await runWorker(env, 'rtt', RTT_EVENTS)) as RoundTripResult);
  }
  log(`time to containment over HTTP against the emulator: ${EMULATOR_EVENTS} events…`);
  emulator = (await runWorker(emulatorEnv, 'emulator', EMULATOR_EVENTS)) as LatencyResult;
  log(`burst against the emulator: ${BURST_CREDENTIALS} credentials, several reports each, ${concurrency} at a time…`);
  burst = (await runWorker({ ...emulatorEnv, BENCH_MAX_RETRIES: retries }, 'burst', BURST_CREDENTIALS, concurrency)) as BurstResult;
} finally {
  await aws.stop();
}

const figures: BenchFigures = {
  date: started.toISOString(),
  seconds: (Date.now() - started.getTime()) / 1000,
  machine: {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    python: python.version,
    boto3: python.boto3,
    loadAverage: [loadAtStart[0]!, loadavg()[0]!],
  },
  sizes,
  coldStarts,
  startupProfiles,
  instant,
  emulator,
  roundTrips,
  burst,
  burstInProcess,
};
// The raw figures too, outside the repository: RESULTS.md can be formatted again from them without a new run.
const figuresFile = join(tmpdir(), 'keystop-bench-figures.json');
await writeFile(figuresFile, JSON.stringify(figures));
log(`figures: ${figuresFile}`);
await writeFile(join(root, 'bench', 'RESULTS.md'), formatResults(figures));
await updateReadme(formatReadmeBlock(figures));
log(`wrote bench/RESULTS.md in ${figures.seconds.toFixed(0)} s`);
process.stdout.write(formatReadmeBlock(figures));

function credentialsEnv() {
  return { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey };
}

/** Replaces the figures between the bench markers of docs/performance.md, if it has them. */
async function updateReadme(block: string) {
  const path = join(root, 'docs', 'performance.md');
  const readme = await readFile(path, 'utf8');
  const pattern = /(<!-- bench:start[^>]*-->\n)[\s\S]*?(<!-- bench:end -->)/;
  if (!pattern.test(readme)) return log('docs/performance.md has no bench markers; left as it is');
  await writeFile(path, readme.replace(pattern, `$1${block}$2`));
}
