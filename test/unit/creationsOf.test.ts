import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Creation } from '../../src/domain/Creation';
import { creationsOf, sessionKeysOf, undoCommandOf } from '../../src/sources/creationsOf';

const LEAKED = 'AKIABUILDBOTLEAKED01';

/** A CloudTrail record of an IAM call made with `accessKeyId` (the leaked key by default), as CloudTrail writes it. */
function call(
  eventName: string,
  fields: { request?: object | null; response?: object | null; at?: string; accessKeyId?: string; errorCode?: string } = {},
) {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', accessKeyId: fields.accessKeyId ?? LEAKED, userName: 'build-bot', accountId: '123456789012' },
    eventTime: fields.at ?? '2026-10-02T08:15:20Z',
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    requestParameters: fields.request === undefined ? null : fields.request,
    responseElements: fields.response === undefined ? null : fields.response,
    ...(fields.errorCode ? { errorCode: fields.errorCode, errorMessage: 'denied' } : {}),
    eventID: `${eventName}-${fields.at ?? 'x'}`,
  };
}

const keyFor = (userName: string, accessKeyId: string) => ({
  accessKey: { userName, accessKeyId, status: 'Active', createDate: 'Oct 2, 2026 8:15:20 AM' },
});

describe('What a leaked credential made in IAM, from CloudTrail', () => {
  it("a key it created for another user, and one for its own user (no user name in the request): both, by IAM's answer", () => {
    const records = [
      call('CreateAccessKey', { request: { userName: 'ops-admin' }, response: keyFor('ops-admin', 'AKIAOPSADMINNEWKEY01') }),
      call('CreateAccessKey', { request: null, response: keyFor('build-bot', 'AKIABUILDBOTSECOND01'), at: '2026-10-02T08:16:00Z' }),
    ];

    expect(creationsOf(records, LEAKED)).toEqual([
      { kind: 'access-key', userName: 'ops-admin', accessKeyId: 'AKIAOPSADMINNEWKEY01', at: '2026-10-02T08:15:20Z' },
      { kind: 'access-key', userName: 'build-bot', accessKeyId: 'AKIABUILDBOTSECOND01', at: '2026-10-02T08:16:00Z' },
    ]);
  });

  it('users, roles, console passwords and policies, oldest first', () => {
    const records = [
      call('AttachUserPolicy', {
        request: { userName: 'backdoor', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        at: '2026-10-02T08:17:00Z',
      }),
      call('CreateUser', { request: { userName: 'backdoor' }, at: '2026-10-02T08:14:00Z' }),
      call('CreateRole', { request: { roleName: 'pivot', assumeRolePolicyDocument: '{}' }, at: '2026-10-02T08:14:30Z' }),
      call('CreateLoginProfile', { request: { userName: 'backdoor' }, at: '2026-10-02T08:15:00Z' }),
      call('UpdateLoginProfile', { request: { userName: 'alice' }, at: '2026-10-02T08:15:10Z' }),
      call('PutRolePolicy', { request: { roleName: 'pivot', policyName: 'all', policyDocument: '{}' }, at: '2026-10-02T08:18:00Z' }),
    ];

    expect(creationsOf(records, LEAKED).map(({ at: _, ...c }) => c)).toEqual([
      { kind: 'user', userName: 'backdoor' },
      { kind: 'role', roleName: 'pivot' },
      { kind: 'login-profile', userName: 'backdoor', change: 'created' },
      { kind: 'login-profile', userName: 'alice', change: 'changed' },
      { kind: 'policy', on: 'user', name: 'backdoor', policy: 'arn:aws:iam::aws:policy/AdministratorAccess', how: 'attached' },
      { kind: 'policy', on: 'role', name: 'pivot', policy: 'all', how: 'inline' },
    ]);
  });

  it("a created user's id (which outlives a rename), and a rename: only --new-user-name counts, a new path alone does not", () => {
    const records = [
      call('CreateUser', {
        request: { userName: 'backdoor' },
        response: { user: { userName: 'backdoor', userId: 'AIDAEXAMPLEBACKDOOR1', path: '/' } },
        at: '2026-10-02T08:14:00Z',
      }),
      call('UpdateUser', { request: { userName: 'backdoor', newUserName: 'svc-reporting' }, at: '2026-10-02T08:15:00Z' }),
      call('UpdateUser', { request: { userName: 'svc-reporting', newPath: '/svc/' }, at: '2026-10-02T08:16:00Z' }),
    ];

    expect(creationsOf(records, LEAKED).map(({ at: _, ...c }) => c)).toEqual([
      { kind: 'user', userName: 'backdoor', userId: 'AIDAEXAMPLEBACKDOOR1' },
      { kind: 'user-renamed', userName: 'backdoor', newUserName: 'svc-reporting' },
    ]);
    expect(undoCommandOf({ kind: 'user-renamed', userName: 'backdoor', newUserName: 'svc-reporting', at: 'x' })).toBe(
      'aws iam update-user --user-name svc-reporting --new-user-name backdoor',
    );
  });

  it("the session keys the key issued itself (GetSessionToken), once each: not another key's, not a failed call, not a malformed id", () => {
    const issued = (accessKeyId: string, fields: { by?: string; errorCode?: string; at?: string } = {}) => ({
      ...call('GetSessionToken', {
        response: { credentials: { accessKeyId } },
        accessKeyId: fields.by,
        errorCode: fields.errorCode,
        at: fields.at,
      }),
      eventSource: 'sts.amazonaws.com',
    });
    const records = [
      issued('ASIABUILDBOTSESSION1'),
      issued('ASIABUILDBOTSESSION1', { at: '2026-10-02T08:20:00Z' }),
      issued('ASIABUILDBOTSESSION2', { at: '2026-10-02T08:21:00Z' }),
      issued('ASIAOTHERKEYSESSION1', { by: 'AKIASOMEONEELSE00001' }),
      issued('ASIABUILDBOTFAILED01', { errorCode: 'AccessDenied' }),
      issued('asia-not-a-key'),
      call('CreateUser', { request: { userName: 'backdoor' } }),
    ];

    expect(sessionKeysOf(records, LEAKED)).toEqual(['ASIABUILDBOTSESSION1', 'ASIABUILDBOTSESSION2']);
  });

  it('leaves out what another credential did, what failed, reads, and the same call delivered twice', () => {
    const created = call('CreateUser', { request: { userName: 'backdoor' } });
    const records = [
      created,
      structuredClone(created),
      call('CreateUser', { request: { userName: 'someone-elses' }, accessKeyId: 'AKIAANOTHERPERSON001' }),
      call('CreateRole', { request: { roleName: 'refused' }, errorCode: 'AccessDenied' }),
      call('ListUsers'),
      { ...call('CreateUser', { request: { userName: 'not-iam' } }), eventSource: 's3.amazonaws.com' },
    ];

    expect(creationsOf(records, LEAKED).map((c) => c.kind === 'user' && c.userName)).toEqual(['backdoor']);
  });

  it('takes no name IAM would not issue: a path, an overlong name, a malformed key id or policy ARN are left out', () => {
    const records = [
      call('CreateUser', { request: { userName: '../keystop/x' } }),
      call('CreateRole', { request: { roleName: 'r'.repeat(65) } }),
      call('CreateAccessKey', { request: { userName: 'ops-admin' }, response: keyFor('ops-admin', 'not-a-key') }),
      call('AttachRolePolicy', { request: { roleName: 'pivot', policyArn: 'arn:aws:iam::aws:policy/x*' } }),
      call('CreateUser', { request: { userName: { nested: 'object' } } }),
    ];

    expect(creationsOf(records, LEAKED)).toEqual([]);
  });

  it('never throws, and names only what IAM could have issued, whatever the records say', () => {
    const anything = fc.record({
      eventName: fc.constantFrom('CreateAccessKey', 'CreateUser', 'CreateRole', 'CreateLoginProfile', 'AttachUserPolicy', 'PutGroupPolicy'),
      request: fc.option(
        fc.dictionary(fc.constantFrom('userName', 'roleName', 'groupName', 'policyArn', 'policyName'), fc.oneof(fc.string(), fc.integer())),
      ),
      response: fc.option(fc.record({ accessKey: fc.record({ userName: fc.string(), accessKeyId: fc.string() }) })),
    });
    fc.assert(
      fc.property(fc.array(anything, { maxLength: 8 }), (calls) => {
        const found: Creation[] = creationsOf(
          calls.map((c) => call(c.eventName, { request: c.request, response: c.response })),
          LEAKED,
        );
        for (const c of found) {
          const names = c.kind === 'role' ? [c.roleName] : c.kind === 'policy' ? [c.name] : [c.userName];
          expect(names.every((n) => /^[\w+=,.@-]{1,64}$/.test(n))).toBe(true);
          if (c.kind === 'access-key') expect(c.accessKeyId).toMatch(/^AKIA[A-Z0-9]{12,124}$/);
        }
      }),
    );
  });

  it('policies attached to or put on a role or a group, each named as the call put it', () => {
    const records = [
      call('AttachRolePolicy', { request: { roleName: 'pivot', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
      call('AttachGroupPolicy', {
        request: { groupName: 'ops', policyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' },
        at: '2026-10-02T08:16:00Z',
      }),
      call('PutGroupPolicy', { request: { groupName: 'ops', policyName: 'all', policyDocument: '{}' }, at: '2026-10-02T08:17:00Z' }),
    ];

    expect(creationsOf(records, LEAKED).map(({ at: _at, ...creation }) => creation)).toEqual([
      { kind: 'policy', on: 'role', name: 'pivot', policy: 'arn:aws:iam::aws:policy/AdministratorAccess', how: 'attached' },
      { kind: 'policy', on: 'group', name: 'ops', policy: 'arn:aws:iam::aws:policy/IAMFullAccess', how: 'attached' },
      { kind: 'policy', on: 'group', name: 'ops', policy: 'all', how: 'inline' },
    ]);
  });

  it("names a new key's user as IAM answered it, not as the request spelled it (IAM names are case-insensitive)", () => {
    const records = [
      call('CreateAccessKey', { request: { userName: 'OPS-ADMIN' }, response: keyFor('ops-admin', 'AKIAOPSADMINNEWKEY01') }),
    ];

    expect(creationsOf(records, LEAKED)).toMatchObject([{ kind: 'access-key', userName: 'ops-admin' }]);
  });

  it('gives the exact command to undo what Keystop lists but leaves to a human', () => {
    const at = '2026-10-02T08:15:00Z';
    expect(undoCommandOf({ kind: 'login-profile', userName: 'backdoor', change: 'created', at })).toBe(
      'aws iam delete-login-profile --user-name backdoor',
    );
    expect(
      undoCommandOf({
        kind: 'policy',
        on: 'user',
        name: 'backdoor',
        policy: 'arn:aws:iam::aws:policy/AdministratorAccess',
        how: 'attached',
        at,
      }),
    ).toBe('aws iam detach-user-policy --user-name backdoor --policy-arn arn:aws:iam::aws:policy/AdministratorAccess');
    expect(undoCommandOf({ kind: 'policy', on: 'role', name: 'pivot', policy: 'all', how: 'inline', at })).toBe(
      'aws iam delete-role-policy --role-name pivot --policy-name all',
    );
  });
});
