import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { checkExemptTag } from '../../src/cli/commands/doctor/checkExemptTag';

// The emulator (moto 5.2) has no SimulatePrincipalPolicy: the SDK clients are mocked, the simulation asked for is checked.
function clients(decisions: Record<string, string>) {
  const credentials = { accessKeyId: 't', secretAccessKey: 't' };
  const iam = new IAMClient({ region: 'us-east-1', credentials });
  const sts = new STSClient({ region: 'us-east-1', credentials });
  const iamMock = mockClient(iam);
  const stsMock = mockClient(sts);
  stsMock.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:sts::111122223333:assumed-role/ci-deployer/build-42' });
  iamMock.on(GetRoleCommand).resolves({ Role: { Arn: 'arn:aws:iam::111122223333:role/team/ci-deployer' } as never });
  iamMock.on(SimulatePrincipalPolicyCommand).resolves({
    EvaluationResults: Object.entries(decisions).map(([EvalActionName, EvalDecision]) => ({
      EvalActionName,
      EvalDecision: EvalDecision as 'allowed',
    })),
  });
  return { iam, sts, iamMock };
}

const TAG = { key: 'keystop:exempt', value: 'true' };
const denied = {
  'iam:TagUser': 'explicitDeny',
  'iam:TagRole': 'explicitDeny',
  'iam:CreateUser': 'implicitDeny',
  'iam:CreateRole': 'implicitDeny',
};

describe('keystop doctor: can the exemption tag be self-granted?', () => {
  it("simulates tagging with the exemption key and value as the role behind the caller's session (path included)", async () => {
    const { iam, sts, iamMock } = clients(denied);

    const check = await checkExemptTag({ iam, sts }, TAG);

    expect(check).toMatchObject({ ok: true, principalArn: 'arn:aws:iam::111122223333:role/team/ci-deployer' });
    const [call] = iamMock.commandCalls(SimulatePrincipalPolicyCommand);
    expect(call!.args[0].input).toMatchObject({
      PolicySourceArn: 'arn:aws:iam::111122223333:role/team/ci-deployer',
      ActionNames: ['iam:TagUser', 'iam:TagRole', 'iam:CreateUser', 'iam:CreateRole'],
      ContextEntries: expect.arrayContaining([
        { ContextKeyName: 'aws:TagKeys', ContextKeyType: 'stringList', ContextKeyValues: ['keystop:exempt'] },
        { ContextKeyName: 'aws:RequestTag/keystop:exempt', ContextKeyType: 'string', ContextKeyValues: ['true'] },
      ]),
    });
  });

  it('warns, naming the actions and the SCP that closes them, when the principal may tag', async () => {
    const { iam, sts } = clients({ ...denied, 'iam:TagUser': 'allowed' });

    const check = await checkExemptTag({ iam, sts }, TAG, 'arn:aws:iam::111122223333:user/dev');

    expect(check.ok).toBe(false);
    expect(check.detail).toContain('iam:TagUser allowed');
    expect(check.detail).toContain('keystop scp');
  });

  it('says it could not check, rather than passing, when the simulator is refused', async () => {
    const { iam, sts, iamMock } = clients(denied);
    iamMock.on(SimulatePrincipalPolicyCommand).rejects(new Error('User is not authorized to perform: iam:SimulatePrincipalPolicy'));

    const check = await checkExemptTag({ iam, sts }, TAG);

    expect(check.ok).toBeUndefined();
    expect(check.detail).toMatch(/could not check .*iam:SimulatePrincipalPolicy/);
  });
});
