import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localClients } from '../../src/local/localClients';
import { uniqueName } from './localAws';

/**
 * A stand-in for a deployed stage on the emulator: its GuardDuty function, with the environment `osls deploy` would
 * give it (only what the CLI compares is needed; the function is never invoked).
 */
export async function deployedStage(endpoint: string, variables: Record<string, string>): Promise<string> {
  const stage = uniqueName('stage');
  const { iam } = localClients(endpoint);
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: `keystop-${stage}-guardduty-role`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await new LambdaClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }).send(
    new CreateFunctionCommand({
      FunctionName: `keystop-${stage}-guardduty`,
      Runtime: 'nodejs22.x',
      Role: Role!.Arn!,
      Handler: 'guardduty.handler',
      Code: { ZipFile: new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]) },
      Environment: { Variables: variables },
    }),
  );
  return stage;
}
