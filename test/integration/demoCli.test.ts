import { describe, expect, it } from 'vitest';
import { awsEndpoint } from '../support/localAws';
import { runCli } from '../support/runCli';

describe('keystop demo', () => {
  it('shows one block per event: the seeded key for the one it named, keys before → after, the subject; then a count', async () => {
    const { stdout } = await runCli(['demo', '--endpoint-url', awsEndpoint()]);
    const blocks = stdout.split('\n━━ ').slice(1);

    expect(blocks).toHaveLength(5);
    expect(blocks[0]).toMatch(/^1\/5 guardduty-tor-ip-caller\.json: guardduty UnauthorizedAccess:IAMUser\/TorIPCaller/);
    expect(blocks[0]).toMatch(/key: {5}AKIAEXAMPLELEAKED001 in the event → AKIA\w{16} seeded/);
    expect(blocks[0]).toMatch(/keys: {4}ci-deploy AKIA\w{16} Active → Inactive {3}\(the reported key\)/);
    expect(blocks[0]).toMatch(/keys: {4}ci-deploy AKIA\w{16} Active → Active {3}\(decoy\)/);
    expect(blocks[0]).toMatch(/alert: {3}Keystop CONTAINED: AKIA\w{16} \(ci-deploy\)/);
    // The alert's text and each policy's "why" only with --verbose.
    expect(stdout).not.toContain('NEXT STEPS');
    expect(stdout.trim().split('\n').at(-1)).toBe('3 contained, 1 alerted, 1 ignored; 4 decoy keys untouched');
  });

  it('prints each alert in full with --verbose', async () => {
    const { stdout } = await runCli(['demo', '--verbose', '--endpoint-url', awsEndpoint()]);

    expect(stdout).toContain('│ NEXT STEPS');
    expect(stdout).toContain('   why:     ');
  });
});
