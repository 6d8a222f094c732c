import { CreateUserCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, localClients } from '../../src/local/localClients';
import { awsEndpoint, uniqueName } from '../support/localAws';
import { failureOf, runCli } from '../support/runCli';

describe('keystop doctor', () => {
  it('says it could not check the exemption tag, and exits 1, where IAM has no policy simulator (the emulator)', async () => {
    // The emulator implements no SimulatePrincipalPolicy: doctor must not report the tag as safe there.
    const user = uniqueName('dev');
    await localClients(awsEndpoint()).iam.send(new CreateUserCommand({ UserName: user }));

    const failure = await failureOf(
      runCli(['doctor', '--principal', `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${user}`, '--json'], awsEndpoint()),
    );

    expect(failure.code).toBe(1);
    const check = JSON.parse(failure.stdout);
    expect(check).toMatchObject({ principalArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${user}` });
    expect(check.ok).toBeUndefined();
    expect(check.detail).toMatch(/^could not check whether the exemption tag can be set: [\s\S]*\(needs iam:SimulatePrincipalPolicy\)$/);
  });

  it('has nothing to check when the exemption tag is switched off', async () => {
    const { stdout } = await runCli(['doctor'], { endpoint: awsEndpoint(), env: { KEYSTOP_EXEMPT_TAG: '' } });

    expect(stdout).toContain('ok   exemption tag: switched off');
  });
});
