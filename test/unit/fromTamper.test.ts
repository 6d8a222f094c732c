import { describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import { revocationPolicy } from '../../src/actions/revokeSessions';
import { CloudTrailApiCallEvent } from '../../src/sources/CloudTrailApiCallEvent';
import { fromTamper } from '../../src/sources/fromTamper';
import { loadFixture } from '../support/loadFixture';

const RESPONDERS = ['arn:aws:iam::111122223333:role/SecurityResponders', 'incident-lead'];

function call(eventName: string, requestParameters: Record<string, unknown>, changes: Record<string, unknown> = {}) {
  const event = loadFixture('cloudtrail/update-access-key-active.json');
  Object.assign(event.detail, { eventName, requestParameters, ...changes });
  return CloudTrailApiCallEvent.parse(event);
}

describe('Adapter: fromTamper (the tamper guard)', () => {
  it('reads a key set Active: the key, its user, who did it and from where', () => {
    const report = fromTamper(CloudTrailApiCallEvent.parse(loadFixture('cloudtrail/update-access-key-active.json')), RESPONDERS);

    expect(report).toMatchObject({
      id: 'tamper:111122223333:7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
      change: 'key-re-enabled',
      principal: { kind: 'user', name: 'deploy-bot' },
      accessKeyId: 'AKIAEXAMPLELEAKED001',
      actor: 'arn:aws:iam::111122223333:user/mallory',
      sourceIp: '198.51.100.23',
      byResponder: false,
    });
  });

  it('ignores a key set Inactive, a call that failed, and a call to another service', () => {
    expect(
      fromTamper(call('UpdateAccessKey', { userName: 'u', accessKeyId: 'AKIAEXAMPLELEAKED001', status: 'Inactive' }), []),
    ).toBeUndefined();
    expect(
      fromTamper(
        call('UpdateAccessKey', { userName: 'u', accessKeyId: 'AKIAEXAMPLELEAKED001', status: 'Active' }, { errorCode: 'AccessDenied' }),
        [],
      ),
    ).toBeUndefined();
    expect(
      fromTamper(
        call(
          'UpdateAccessKey',
          { userName: 'u', accessKeyId: 'AKIAEXAMPLELEAKED001', status: 'Active' },
          { eventSource: 's3.amazonaws.com' },
        ),
        [],
      ),
    ).toBeUndefined();
  });

  it("sees Keystop's deny policy deleted or replaced, but not another policy, nor Keystop's deny written again", () => {
    const ours = revocationPolicy(new Date('2026-11-30T12:00:00Z'));
    expect(fromTamper(call('DeleteRolePolicy', { roleName: 'web', policyName: REVOKE_POLICY_NAME }), [])).toMatchObject({
      change: 'deny-policy-removed',
      principal: { kind: 'role', name: 'web' },
    });
    expect(
      fromTamper(call('PutUserPolicy', { userName: 'bob', policyName: REVOKE_POLICY_NAME, policyDocument: '{"Statement":[]}' }), []),
    ).toMatchObject({
      change: 'deny-policy-removed',
      principal: { kind: 'user', name: 'bob' },
    });
    expect(
      fromTamper(call('PutUserPolicy', { userName: 'bob', policyName: REVOKE_POLICY_NAME, policyDocument: ours }), []),
    ).toBeUndefined();
    expect(
      fromTamper(call('PutUserPolicy', { userName: 'bob', policyName: REVOKE_POLICY_NAME, policyDocument: encodeURIComponent(ours) }), []),
    ).toBeUndefined();
    expect(fromTamper(call('DeleteRolePolicy', { roleName: 'web', policyName: 'app-policy' }), [])).toBeUndefined();
  });

  it("reads a new key's id from the response, and a key or password for the caller itself when no user is named", () => {
    expect(
      fromTamper(
        call('CreateAccessKey', { userName: 'bob' }, { responseElements: { accessKey: { accessKeyId: 'AKIAEXAMPLENEWKEY001' } } }),
        [],
      ),
    ).toMatchObject({
      change: 'access-key-created',
      accessKeyId: 'AKIAEXAMPLENEWKEY001',
    });
    expect(fromTamper(call('CreateLoginProfile', {}), [])).toMatchObject({
      change: 'login-profile-changed',
      principal: { kind: 'user', name: 'mallory' },
    });
  });

  it('marks a change by a responder: a role session matched by the role ARN, a user by name', () => {
    const bySession = call(
      'UpdateAccessKey',
      { userName: 'u', accessKeyId: 'AKIAEXAMPLELEAKED001', status: 'Active' },
      {
        userIdentity: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::111122223333:assumed-role/SecurityResponders/jane',
          sessionContext: { sessionIssuer: { type: 'Role', userName: 'SecurityResponders' } },
        },
      },
    );
    const byLead = call(
      'UpdateAccessKey',
      { userName: 'u', accessKeyId: 'AKIAEXAMPLELEAKED001', status: 'Active' },
      {
        userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/incident-lead', userName: 'incident-lead' },
      },
    );

    expect(fromTamper(bySession, RESPONDERS)?.byResponder).toBe(true);
    expect(fromTamper(byLead, RESPONDERS)?.byResponder).toBe(true);
    expect(fromTamper(byLead, [])?.byResponder).toBe(false);
  });
});
