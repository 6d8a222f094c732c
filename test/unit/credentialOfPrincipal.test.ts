import { describe, expect, it } from 'vitest';
import { credentialOfPrincipal } from '../../src/sources/credentialOfPrincipal';
import { unmappedCredential } from '../../src/sources/unmappedCredential';

describe('credentialOfPrincipal: which credential a report names, by what decides its containment', () => {
  it.each([
    [
      { userType: 'IAMUser', userName: 'build-bot', accessKeyId: 'AKIAFIXTURELEAKED001' },
      { kind: 'long-term-key', accessKeyId: 'AKIAFIXTURELEAKED001', userName: 'build-bot' },
    ],
    [
      { userType: 'IAMUser', userName: 'build-bot', accessKeyId: 'ASIAFIXTURESESSION01' },
      { kind: 'user-session', accessKeyId: 'ASIAFIXTURESESSION01', userName: 'build-bot' },
    ],
    [
      { userType: 'IAMUser', userName: 'build-bot' },
      { kind: 'user-session', userName: 'build-bot' },
    ],
    [
      { userType: 'Root', accessKeyId: 'ASIAROOTSESSION00001' },
      { kind: 'root', accessKeyId: 'ASIAROOTSESSION00001' },
    ],
    [{ userType: 'Root' }, { kind: 'root' }],
    [
      { userType: 'AssumedRole', userName: 'web', accessKeyId: 'ASIAWEBSESSION000001', principalId: 'AROAWEBROLE000000001:i-0abc' },
      { kind: 'role-session', accessKeyId: 'ASIAWEBSESSION000001', roleName: 'web', sessionName: 'i-0abc' },
    ],
    [
      { userType: 'FederatedUser', userName: 'jane', accessKeyId: 'ASIAFEDERATED0000001' },
      { kind: 'federated-session', accessKeyId: 'ASIAFEDERATED0000001', principalName: 'jane' },
    ],
  ])('%o → %o', (principal, credential) => {
    expect(credentialOfPrincipal(principal)).toEqual(credential);
  });

  it('takes a session name only after the colon of AROA…:<session>: a principal id without one names no session', () => {
    expect(
      credentialOfPrincipal({
        userType: 'AssumedRole',
        userName: 'web',
        accessKeyId: 'ASIAWEBSESSION000001',
        principalId: 'AROAWEBROLE000000001',
      }),
    ).toEqual({ kind: 'role-session', accessKeyId: 'ASIAWEBSESSION000001', roleName: 'web' });
  });

  it('names no credential when the report does not say enough: a session without its key or principal, an unknown type', () => {
    for (const principal of [
      { userType: 'IAMUser', accessKeyId: 'AKIAFIXTURELEAKED001' },
      { userType: 'AssumedRole', userName: 'web' },
      { userType: 'AssumedRole', accessKeyId: 'ASIAWEBSESSION000001' },
      { userType: 'FederatedUser', userName: 'jane' },
      { userType: 'FederatedUser', accessKeyId: 'ASIAFEDERATED0000001' },
      { userType: 'AWSService', userName: 'cloudtrail.amazonaws.com', accessKeyId: 'ASIASERVICE000000001' },
      { userName: 'build-bot', accessKeyId: 'AKIAFIXTURELEAKED001' },
    ]) {
      expect(credentialOfPrincipal(principal), JSON.stringify(principal)).toBeUndefined();
    }
  });
});

describe('unmappedCredential: what a report names that Keystop cannot identify, quoted to people', () => {
  it('keeps each distinct value once, in order, and drops the missing, the empty and the blank ones', () => {
    expect(unmappedCredential(['ACCESS_KEY_ID_HERE', undefined, '', '   ', '\t', 'kapil', 'ACCESS_KEY_ID_HERE'])).toEqual({
      kind: 'unmapped',
      entities: ['ACCESS_KEY_ID_HERE', 'kapil'],
    });
  });
});
