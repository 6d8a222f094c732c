import type { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { type ClientOptions, createClients } from '../../src/aws/createClients';
import { LOCAL_REGION } from '../../src/local/localClients';

/**
 * An IAM client acting in an emulated member account, as that account's own administrator (a role the emulator lets
 * anyone assume): what the tests use to create that account's users and keys, apart from Keystop's member role.
 */
export async function memberAccountIam(accountId: string, endpoint: string, sts: STSClient): Promise<IAMClient> {
  return createClients(await memberAccountOptions(accountId, endpoint, sts)).iam;
}

/** Client options for that administrator, for any service (a member account's CloudFormation, EventBridge). */
export async function memberAccountOptions(
  accountId: string,
  endpoint: string,
  sts: STSClient,
  region = LOCAL_REGION,
): Promise<ClientOptions> {
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/test-admin`, RoleSessionName: 'test-setup' }),
  );
  return {
    region,
    endpoint,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  };
}
