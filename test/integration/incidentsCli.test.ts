import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { fixturePath } from '../support/loadFixture';
import { awsEndpoint, uniqueName } from '../support/localAws';
import { runCli } from '../support/runCli';

const examples = (name: string) => `examples/${name}`;
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('keystop incidents: what Keystop did, from the state table', () => {
  it('lists what a sequence of sandbox runs did, newest first, one row per credential', async () => {
    const table = uniqueName('keystop-state-incidents');
    const sandbox = (...files: string[]) =>
      runCli(['sandbox', ...files, '--json', '--state-table', table, '--endpoint-url', awsEndpoint()]);
    const tor = fixturePath('guardduty/tor-ip-caller-long-term-key.json');

    const first = jsonLines((await sandbox(tor, tor, examples('guardduty-sample-finding.json'))).stdout);
    const second = jsonLines((await sandbox(examples('health-credentials-exposed.json'))).stdout);
    const incidents = (...args: string[]) => runCli(['incidents', '--table', table, '--json', ...args], { endpoint: awsEndpoint() });
    const all = jsonLines((await incidents()).stdout);
    const contained = jsonLines((await incidents('--outcome', 'contained')).stdout);
    const ofOwnAccount = jsonLines((await incidents('--account', LOCAL_ACCOUNT_ID)).stdout);

    expect([...first, ...second].map((r) => r.outcome)).toEqual(['contained', 'duplicate', 'notified', 'contained']);
    // The repeat is no row of its own: one row per credential, with the strongest response.
    expect(all.map((row) => [row.source, row.outcome, row.reason])).toEqual([
      ['health', 'contained', 'matched'],
      ['guardduty', 'notified', 'sample-finding'],
      ['guardduty', 'contained', 'matched'],
    ]);
    const torRow = all[2];
    expect(torRow).toMatchObject({
      credential: first[0].incident.credential.accessKeyId,
      credentialKind: 'long-term-key',
      accountId: first[0].incident.accountId,
      policy: 'guardduty-key-used-by-attacker',
      alertSent: true,
      held: false,
      incidentId: first[0].incident.id,
    });
    expect(torRow.actions).toContainEqual({
      type: 'deactivate-access-key',
      status: 'done',
      target: first[0].incident.credential.accessKeyId,
    });
    expect(contained.map((row) => row.source)).toEqual(['health', 'guardduty']);
    // The sample finding names the emulator's own account; the others name 111122223333.
    expect(ofOwnAccount.map((row) => [row.accountId, row.reason])).toEqual([[LOCAL_ACCOUNT_ID, 'sample-finding']]);
  });

  it('refuses a bad --since or --outcome with exit 2, and names a missing table and its region', async () => {
    const since = await runCli(['incidents', '--since', 'yesterday'], { endpoint: awsEndpoint() }).catch((e) => e);
    const outcome = await runCli(['incidents', '--outcome', 'contianed'], { endpoint: awsEndpoint() }).catch((e) => e);
    const missing = await runCli(['incidents', '--stage', 'nosuchstage'], { endpoint: awsEndpoint() }).catch((e) => e);

    expect(since).toMatchObject({ code: 2, stderr: expect.stringContaining('--since "yesterday" is not an age') });
    expect(outcome).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--outcome "contianed": each must be one of contained, notified'),
    });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('no state table keystop-state-nosuchstage in us-east-1') });
  });
});
