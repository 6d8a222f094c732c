import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { clientsForAccounts } from '../../src/aws/clientsForAccounts';

const OWN = '123456789012';
const MEMBER = '222222222222';

/**
 * The member role's credentials as STS would issue them, valid for `seconds`. Mocked: the emulator always issues
 * what was asked for (900 s), and these tests are about what the SDK does as credentials near their expiry.
 */
function memberAccount(seconds: number) {
  const sts = new STSClient({ region: 'us-east-1' });
  const mock = mockClient(sts);
  mock.on(AssumeRoleCommand).callsFake(async () => ({
    Credentials: {
      AccessKeyId: 'ASIAMEMBER',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + seconds * 1000),
    },
  }));
  const own = { iam: new IAMClient({ region: 'us-east-1' }) };
  const clientsFor = clientsForAccounts({
    ownAccountId: OWN,
    own,
    memberRole: { name: 'KeystopMember', externalId: 'ext' },
    sts: () => sts,
    iamWith: (credentials) => new IAMClient({ region: 'us-east-1', credentials }),
  });
  const assumed = () => mock.commandCalls(AssumeRoleCommand).length;
  return { clientsFor, own, assumed };
}

/** What the IAM client signs its next request with. */
const credentialsOf = (clients: { iam: IAMClient }) => clients.iam.config.credentials();

describe('Clients for the account that owns a credential', () => {
  it("uses the function's own clients in its own account, without assuming a role", async () => {
    const { clientsFor, own, assumed } = memberAccount(900);

    expect(clientsFor({ id: 'guardduty:own:1', accountId: OWN })).toBe(own);
    expect(assumed()).toBe(0);
  });

  it('assumes the member role once per incident and reuses the session while it is fresh', async () => {
    const { clientsFor, assumed } = memberAccount(900);

    const first = clientsFor({ id: 'guardduty:222222222222:1', accountId: MEMBER });
    expect((await credentialsOf(first)).accessKeyId).toBe('ASIAMEMBER');
    await credentialsOf(clientsFor({ id: 'guardduty:222222222222:1', accountId: MEMBER }));

    expect(clientsFor({ id: 'guardduty:222222222222:1', accountId: MEMBER })).toBe(first);
    expect(assumed()).toBe(1);
  });

  it('assumes the role again when the session nears its expiry', async () => {
    const { clientsFor, assumed } = memberAccount(60);
    const clients = clientsFor({ id: 'guardduty:222222222222:1', accountId: MEMBER });

    await credentialsOf(clients);
    const before = assumed();
    await credentialsOf(clients);

    // The SDK refreshes credentials that expire within five minutes before it signs with them.
    expect(assumed()).toBe(before + 1);
  });

  it('names the role it could not assume when STS refuses', async () => {
    const sts = new STSClient({ region: 'us-east-1' });
    mockClient(sts).on(AssumeRoleCommand).rejects(new Error('User is not authorized to perform: sts:AssumeRole'));
    const clientsFor = clientsForAccounts({
      ownAccountId: OWN,
      own: { iam: new IAMClient({ region: 'us-east-1' }) },
      memberRole: { name: 'KeystopMember', externalId: 'ext' },
      sts: () => sts,
      iamWith: (credentials) => new IAMClient({ region: 'us-east-1', credentials }),
    });

    await expect(credentialsOf(clientsFor({ id: 'x:1', accountId: MEMBER }))).rejects.toThrow(
      `could not assume arn:aws:iam::${MEMBER}:role/KeystopMember: User is not authorized`,
    );
  });

  it('cannot reach another account without a member role, nor an account id that is not one', () => {
    const { clientsFor } = memberAccount(900);
    const single = clientsForAccounts({
      ownAccountId: OWN,
      own: { iam: new IAMClient({ region: 'us-east-1' }) },
      memberRole: undefined,
      sts: () => new STSClient({ region: 'us-east-1' }),
      iamWith: () => new IAMClient({ region: 'us-east-1' }),
    });

    expect(() => single({ id: 'x:1', accountId: MEMBER })).toThrow('no member role is configured');
    expect(() => clientsFor({ id: 'x:1', accountId: '../../role/admin' })).toThrow('is not an AWS account id');
  });
});
