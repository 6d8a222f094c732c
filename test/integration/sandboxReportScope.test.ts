import { describe, expect, it } from 'vitest';
import { fixturePath } from '../support/loadFixture';
import { awsEndpoint } from '../support/localAws';
import { runCli } from '../support/runCli';

const TOR = fixturePath('guardduty/tor-ip-caller-long-term-key.json');
const HEALTH = 'examples/health-credentials-exposed.json';
const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe("Sandbox report: each event's own principals and keys", () => {
  it('lists in --json only the principals each event is about, not every one the run seeded so far', async () => {
    const reports = jsonLines((await runCli(['sandbox', TOR, HEALTH, '--json', '--endpoint-url', awsEndpoint()])).stdout);

    const [tor, health] = reports.map((report) => ({
      named: report.incident.credential.userName,
      principals: report.principals.map((p: { name: string }) => p.name),
      before: report.principalsBefore.map((p: { name: string }) => p.name),
    }));
    expect(tor!.principals).toEqual([tor!.named]);
    expect(tor!.before).toEqual([tor!.named]);
    expect(health!.principals).toEqual([health!.named]);
    expect(health!.before).toEqual([health!.named]);
    expect(health!.named).not.toBe(tor!.named);
  });

  it("names, in the human output, which seeded key stands for the event's key", async () => {
    const { stdout } = await runCli(['sandbox', TOR, '--endpoint-url', awsEndpoint()]);

    const [, original, seeded] = /^Key: {5}(\S+) in the event → (AKIA\w{16}) seeded on the emulator$/m.exec(stdout) ?? [];
    expect(original).toBe('AKIAFIXTURELEAKED001');
    expect(stdout).toMatch(new RegExp(`^  \\S+ ${seeded} Active → Inactive  ← named in the event$`, 'm'));
  });
});
