import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { loadFixture } from './loadFixture';

/** Who made an IAM change, as CloudTrail names the caller. */
export interface Caller {
  /** An IAM user of the emulator's account, or a role whose session made the call. */
  kind: 'user' | 'role';
  name: string;
  sourceIp?: string;
}

export const attacker: Caller = { kind: 'user', name: 'mallory', sourceIp: '198.51.100.23' };

/**
 * An IAM call as CloudTrail delivers it through EventBridge (the shape of test/fixtures/cloudtrail/
 * update-access-key-active.json), made by `caller` in the emulator's account.
 */
export function iamChange(
  eventName: string,
  requestParameters: Record<string, unknown>,
  caller: Caller,
  id: string,
  responseElements: Record<string, unknown> | null = null,
): Record<string, any> {
  const event = loadFixture('cloudtrail/update-access-key-active.json');
  event.id = `event-${id}`;
  event.account = LOCAL_ACCOUNT_ID;
  Object.assign(event.detail, {
    eventName,
    requestParameters,
    responseElements,
    eventID: `eventid-${id}`,
    recipientAccountId: LOCAL_ACCOUNT_ID,
    sourceIPAddress: caller.sourceIp ?? '203.0.113.10',
    userIdentity:
      caller.kind === 'user'
        ? {
            type: 'IAMUser',
            principalId: 'AIDAEXAMPLECALLER001',
            arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${caller.name}`,
            accountId: LOCAL_ACCOUNT_ID,
            userName: caller.name,
          }
        : {
            type: 'AssumedRole',
            principalId: `AROAEXAMPLECALLER001:${caller.name}-session`,
            arn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${caller.name}/${caller.name}-session`,
            accountId: LOCAL_ACCOUNT_ID,
            sessionContext: { sessionIssuer: { type: 'Role', userName: caller.name } },
          },
  });
  return event;
}
