import { GetAccessKeyLastUsedCommand, type IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';

/** The user a key belongs to, as IAM says; undefined if IAM does not know the key. */
export async function readKeyOwner(iam: IAMClient, accessKeyId: string): Promise<string | undefined> {
  return (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }))).UserName;
}

/** The key's status as IAM has it now ('Active' | 'Inactive'). Reads only its owner's key list, never another's. */
export async function readAccessKeyStatus(iam: IAMClient, accessKeyId: string, userName: string): Promise<string | undefined> {
  const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return AccessKeyMetadata.find((key) => key.AccessKeyId === accessKeyId)?.Status;
}
