import { describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import { CloudTrailApiCallEvent } from '../../src/sources/CloudTrailApiCallEvent';
import { cloudTrailSource } from '../../src/sources/cloudTrailSource';
import { madeBy } from '../../src/sources/madeBy';
import { loadFixture } from '../support/loadFixture';

const KEY = 'AKIABUILDBOTLEAKED01';

/** An IAM call made with `accessKeyId` (a long-term key unless said otherwise), as EventBridge delivers it. */
function call(eventName: string, requestParameters: Record<string, unknown>, accessKeyId = KEY, responseElements: unknown = null) {
  const event = loadFixture('cloudtrail/update-access-key-active.json');
  Object.assign(event.detail, { eventName, requestParameters, responseElements });
  event.detail.userIdentity = { ...event.detail.userIdentity, accessKeyId, userName: 'build-bot' };
  return CloudTrailApiCallEvent.parse(event);
}

describe('Adapter: madeBy (what a key made, for the creation log)', () => {
  it('names the creating key, the account the call was recorded in, and what it made', () => {
    const made = madeBy(call('CreateUser', { userName: 'backdoor' }));

    expect(made).toEqual({
      accountId: '111122223333',
      creatorKeyId: KEY,
      creations: [{ kind: 'user', userName: 'backdoor', at: expect.any(String) }],
    });
  });

  it("remembers the creation under the account where the call was recorded, not the envelope's", () => {
    const event = call('CreateUser', { userName: 'backdoor' });
    event.detail.recipientAccountId = '444455556666';

    expect(madeBy(event)?.accountId).toBe('444455556666');
  });

  it("remembers nothing made by a session (ASIA), nothing failed, and not Keystop's own deny policy", () => {
    expect(madeBy(call('CreateUser', { userName: 'backdoor' }, 'ASIASESSIONKEY000001'))).toBeUndefined();
    const failed = call('CreateUser', { userName: 'backdoor' });
    failed.detail.errorCode = 'AccessDenied';
    expect(madeBy(failed)).toBeUndefined();
    expect(madeBy(call('PutUserPolicy', { userName: 'ops', policyName: REVOKE_POLICY_NAME, policyDocument: '{}' }))).toBeUndefined();
    expect(madeBy(call('PutUserPolicy', { userName: 'ops', policyName: 'backdoor', policyDocument: '{}' }))?.creations).toMatchObject([
      { kind: 'policy', on: 'user', name: 'ops', policy: 'backdoor', how: 'inline' },
    ]);
  });

  it("the guard's source notes the creation beside the tamper report, and never reports an incident (its role cannot contain)", () => {
    const guard = cloudTrailSource([], [], { guardOnly: true });
    const newKey = { accessKey: { userName: 'ops-admin', accessKeyId: 'AKIAOPSADMINNEWKEY01', status: 'Active' } };
    // A leaked key putting AWS's quarantine policy name on a user: the CloudTrail function's incident, not the guard's.
    const quarantine = call('PutUserPolicy', {
      userName: 'ops',
      policyName: 'AWSExposedCredentialPolicy_DO_NOT_REMOVE',
      policyDocument: '{}',
    });

    expect(guard.adapt(call('CreateAccessKey', { userName: 'ops-admin' }, KEY, newKey))).toMatchObject({
      kind: 'tamper',
      reports: [{ change: 'access-key-created', accessKeyId: 'AKIAOPSADMINNEWKEY01' }],
      made: { creatorKeyId: KEY, creations: [{ kind: 'access-key', userName: 'ops-admin', accessKeyId: 'AKIAOPSADMINNEWKEY01' }] },
    });
    expect(guard.adapt(quarantine)).toMatchObject({ kind: 'tamper', reports: [], made: { creatorKeyId: KEY } });
    expect(cloudTrailSource([], []).adapt(quarantine)).toMatchObject({ kind: 'incidents' });
  });
});
