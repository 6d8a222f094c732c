import { SQSClient } from '@aws-sdk/client-sqs';
import { createClients } from '../aws/createClients';

/** Dummy credentials: whatever the shell holds, local runs never sign with real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const LOCAL_REGION = 'us-east-1';
/** moto's default account. */
export const LOCAL_ACCOUNT_ID = '123456789012';

/** Why the sandbox reports no key activity: moto answers CloudTrail LookupEvents with 500 NotImplemented. */
export const LOCAL_LOOKUP_UNAVAILABLE = 'the local AWS emulator (moto) does not implement CloudTrail LookupEvents';

/** SDK clients pointed at the local emulator, plus SQS for reading deliveries back. */
export function localClients(endpoint: string) {
  const options = { region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS };
  return { ...createClients(options), sqs: new SQSClient(options) };
}
