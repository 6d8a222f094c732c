import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { runSandbox } from '../../src/cli/sandbox/runSandbox';
import { localClients } from '../../src/local/localClients';
import { loadFixture } from '../support/loadFixture';
import { awsEndpoint, uniqueName } from '../support/localAws';

describe('Sandbox: accounts', () => {
  it("seeds and contains in the account the finding names, through the member role, not in the sandbox's own", async () => {
    // Prepare: a finding of another account than the emulator's default, naming a user that exists nowhere yet
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    const userName = uniqueName('sandbox-member-user');
    event.detail.accountId = '444455556666';
    event.detail.resource.accessKeyDetails.userName = userName;

    // Act
    const [report] = await runSandbox([{ name: 'member.json', event }], { endpoint: awsEndpoint() });

    // Assess: contained in 444455556666; the sandbox's own account never had the user
    expect(report).toMatchObject({ outcome: 'contained', incident: { accountId: '444455556666' } });
    expect(report!.principals).toEqual([expect.objectContaining({ accountId: '444455556666', kind: 'user', name: userName })]);
    expect(report!.principals[0]!.keys.map((k) => [k.named, k.status]).sort()).toEqual([
      [false, 'Active'],
      [true, 'Inactive'],
    ]);
    const own = localClients(awsEndpoint()).iam;
    await expect(own.send(new ListAccessKeysCommand({ UserName: userName }))).rejects.toThrow(/cannot be found|not found/i);
  });
});
