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

describe('Adapter: fromTamper, what each guarded call names', () => {
  const ours = () => revocationPolicy(new Date('2026-11-30T12:00:00Z'));

  it("sees Keystop's deny deleted from a user, or replaced on a role by another document", () => {
    expect(fromTamper(call('DeleteUserPolicy', { userName: 'bob', policyName: REVOKE_POLICY_NAME }), [])).toMatchObject({
      change: 'deny-policy-removed',
      principal: { kind: 'user', name: 'bob' },
    });
    expect(
      fromTamper(call('PutRolePolicy', { roleName: 'web', policyName: REVOKE_POLICY_NAME, policyDocument: '{"Statement":[]}' }), []),
    ).toMatchObject({ change: 'deny-policy-removed', principal: { kind: 'role', name: 'web' } });
    expect(
      fromTamper(call('PutRolePolicy', { roleName: 'web', policyName: REVOKE_POLICY_NAME, policyDocument: ours() }), []),
    ).toBeUndefined();
  });

  it('reads a deletion as a removal whatever else its record carries, even a copy of our document', () => {
    expect(
      fromTamper(call('DeleteRolePolicy', { roleName: 'web', policyName: REVOKE_POLICY_NAME, policyDocument: ours() }), []),
    ).toMatchObject({ change: 'deny-policy-removed', principal: { kind: 'role', name: 'web' } });
  });

  it('reads a password changed for a user, and a new key for the user it names, even when the record has no response', () => {
    expect(fromTamper(call('UpdateLoginProfile', { userName: 'bob' }), [])).toMatchObject({
      change: 'login-profile-changed',
      principal: { kind: 'user', name: 'bob' },
    });
    const created = fromTamper(call('CreateAccessKey', { userName: 'bob' }, { responseElements: null }), []);
    expect(created).toMatchObject({ change: 'access-key-created', principal: { kind: 'user', name: 'bob' } });
    expect(created !== undefined && 'accessKeyId' in created).toBe(false);
    const noId = fromTamper(call('CreateAccessKey', { userName: 'bob' }, { responseElements: { accessKey: { accessKeyId: 42 } } }), []);
    expect(noId !== undefined && 'accessKeyId' in noId).toBe(false);
  });

  it('takes "" or a value that is not text as no value: the caller\'s own key or password, or nothing at all', () => {
    expect(fromTamper(call('CreateLoginProfile', { userName: '' }), [])).toMatchObject({ principal: { kind: 'user', name: 'mallory' } });
    expect(fromTamper(call('CreateAccessKey', { userName: ['bob'] }), [])).toMatchObject({ principal: { kind: 'user', name: 'mallory' } });
    expect(
      fromTamper(call('UpdateAccessKey', { userName: 'u', accessKeyId: ['AKIAEXAMPLELEAKED001'], status: 'Active' }), []),
    ).toBeUndefined();
    expect(fromTamper(call('UpdateAccessKey', { userName: 'u', accessKeyId: '', status: 'Active' }), [])).toBeUndefined();
    expect(fromTamper(call('DeleteRolePolicy', { roleName: '', policyName: REVOKE_POLICY_NAME }), [])).toBeUndefined();
  });

  it("names no user when the call names none and the caller is not an IAM user: IAM has no 'own' key for a role or root", () => {
    const bySession = { userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/web/i-0abc', userName: 'web' } };
    const byRoot = { userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', userName: 'acme-prod' } };

    for (const changes of [bySession, byRoot]) {
      expect(fromTamper(call('CreateAccessKey', {}, changes), [])).toBeUndefined();
      expect(fromTamper(call('CreateLoginProfile', {}, changes), [])).toBeUndefined();
    }
  });

  it("puts the report in the account where the call was recorded, else the envelope's, and names an unknown caller so", () => {
    const elsewhere = call('CreateLoginProfile', { userName: 'bob' }, { recipientAccountId: '444455556666' });
    const unrecorded = call('CreateLoginProfile', { userName: 'bob' }, { userIdentity: {} });
    delete unrecorded.detail.recipientAccountId;

    expect(fromTamper(elsewhere, [])).toMatchObject({ accountId: '444455556666', id: `tamper:444455556666:${elsewhere.detail.eventID}` });
    expect(fromTamper(unrecorded, [])).toMatchObject({ accountId: unrecorded.account, actor: 'an unknown caller' });
  });
});

describe('Adapter: fromTamper, who counts as a responder', () => {
  const reEnable = (userIdentity: Record<string, unknown>) =>
    call('UpdateAccessKey', { userName: 'u', accessKeyId: 'AKIAEXAMPLELEAKED001', status: 'Active' }, { userIdentity });

  it("matches an IAM user's ARN against an ARN pattern, and never as if it were a role", () => {
    const lead = reEnable({ type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/incident-lead', userName: 'incident-lead' });

    expect(fromTamper(lead, ['arn:aws:iam::111122223333:user/incident-*'])?.byResponder).toBe(true);
    expect(fromTamper(lead, ['arn:aws:iam::111122223333:role/*'])?.byResponder).toBe(false);
  });

  it('reads a role session with no issuer, no session context or no ARN without failing, by what it does carry', () => {
    const noIssuer = reEnable({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/SecurityResponders/jane',
      sessionContext: {},
    });
    const noContext = reEnable({ type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/SecurityResponders/jane' });
    const noArn = reEnable({ type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'Role', userName: 'SecurityResponders' } } });

    expect(fromTamper(noIssuer, ['arn:aws:sts::111122223333:assumed-role/SecurityResponders/*'])?.byResponder).toBe(true);
    expect(fromTamper(noContext, ['SecurityResponders'])?.byResponder).toBe(false);
    expect(fromTamper(noArn, ['SecurityResponders'])?.byResponder).toBe(true);
    expect(fromTamper(noArn, RESPONDERS)?.byResponder).toBe(false);
  });

  it('matches names of users and roles only: not the IAM user behind a federated session, not a caller with no name', () => {
    const federated = reEnable({
      type: 'FederatedUser',
      arn: 'arn:aws:sts::111122223333:federated-user/jane',
      sessionContext: { sessionIssuer: { type: 'IAMUser', userName: 'incident-lead' } },
    });
    const root = reEnable({ type: 'Root', arn: 'arn:aws:iam::111122223333:root' });

    expect(fromTamper(federated, ['incident-lead'])?.byResponder).toBe(false);
    expect(fromTamper(root, ['*'])?.byResponder).toBe(false);
    expect(fromTamper(root, ['arn:aws:iam::111122223333:root'])?.byResponder).toBe(true);
  });
});
