import { SQSClient } from '@aws-sdk/client-sqs';
import { createClients } from '../aws/createClients';

/** Dummy credentials: whatever the shell holds, local runs never sign with real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const LOCAL_REGION = 'us-east-1';
/** moto's default account. */
export const LOCAL_ACCOUNT_ID = '123456789012';

/** Why the sandbox reports no key activity: moto answers CloudTrail LookupEvents with 500 NotImplemented. */
export const LOCAL_LOOKUP_UNAVAILABLE = 'unavailable in the local emulator: moto does not implement CloudTrail LookupEvents';
/** Security Hub's BatchUpdateFindings is missing from moto too: the sandbox says so instead of a raw SDK error. */
export const LOCAL_FINDING_UPDATE_UNAVAILABLE =
  'unavailable in the local emulator: moto does not implement Security Hub BatchUpdateFindings';

/** SDK clients pointed at the local emulator, plus SQS for reading deliveries back. */
export function localClients(endpoint: string) {
  const options = { region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS };
  return { ...createClients(options), sqs: new SQSClient(options) };
}
