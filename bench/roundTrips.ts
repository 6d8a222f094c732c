// The round-trip part of the bench alone (a minute, not the whole `npm run bench`): first reports through a latency
// proxy, counting the sequential round trips before the containment write, in one account (tag check on, and names
// only) and in an organisation deployment (member accounts: the organisation's breaker admits in the same round trip).
// npx tsx bench/roundTrips.ts   (BENCH_RTT_EVENTS, BENCH_RTT_MS as for the bench)
import { LOCAL_CREDENTIALS } from '../src/local/localClients';
import { startLocalAws } from '../src/local/startLocalAws';
import { lambdaEnvironment, packagedFunctions } from '../test/support/packagedFunctions';
import { packageForBench } from './packageForBench';
import { runWorker } from './runWorker';
import type { RoundTripResult } from './worker';

const RTT_EVENTS = Number(process.env.BENCH_RTT_EVENTS ?? 10);
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 25);

const { template, dir } = await packageForBench();
const [first] = await packagedFunctions(template, dir);
if (!first) throw new Error('osls package produced no function');
const functionEnv = { ...lambdaEnvironment(template, first), KEYSTOP_BREAKER_LIMIT: '10000' };
const organisation = {
  KEYSTOP_MEMBER_ACCOUNTS: '222222222222',
  KEYSTOP_MEMBER_ROLE_NAME: 'KeystopMember',
  KEYSTOP_EXTERNAL_ID: 'bench-external-id',
  KEYSTOP_ORG_BREAKER_LIMIT: '10000',
};
const modes: [string, Record<string, string>][] = [
  ['one account, tag check on', {}],
  ["one account, names only (exemptTag '')", { KEYSTOP_EXEMPT_TAG: '' }],
  ['organisation (member accounts), tag check on', organisation],
];
const aws = await startLocalAws();
try {
  for (const [label, extra] of modes) {
    const env = {
      ...functionEnv,
      ...extra,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      BENCH_RTT_MS: String(RTT_MS),
    };
    const result = (await runWorker(env, 'rtt', RTT_EVENTS)) as RoundTripResult;
    const rounds = result.first.map((f) => f.roundsBeforeWrite ?? Number.NaN);
    const firstRound = result.first[0]?.requests.filter((r) => r.round === 1).map((r) => r.api) ?? [];
    process.stdout.write(
      `${label}: round trips before the write ${Math.min(...rounds)}–${Math.max(...rounds)} over ${rounds.length} first reports; ` +
        `round 1: ${firstRound.join(' ∥ ')}\n`,
    );
  }
} finally {
  await aws.stop();
}
