import { describe, expect, it } from 'vitest';
import type { Credential } from '../../src/domain/CredentialIncident';
import {
  accessKeyRecordKey,
  credentialKey,
  describeRecordKey,
  isAccessKeyId,
  isTemporaryKey,
  isTypedAccessKeyId,
  principalRef,
  sessionsShareRecord,
} from '../../src/domain/identifiers';
import { credentials, incidentAbout } from '../support/incidents';

describe('Access key ids', () => {
  it.each([
    ['AKIAEXAMPLELEAKED001', true, true],
    ['ASIAEXAMPLESESSION01', true, true],
    ['AKIA0123456789AB', true, false],
    [`AKIA${'A'.repeat(124)}`, true, false],
    [`AKIA${'A'.repeat(125)}`, false, false],
    ['AKIA0123456789A', false, false],
    ['AIDAEXAMPLEUSERID001', false, false],
    ['akiaexampleleaked001', false, false],
    ['AKIAEXAMPLE-LEAKED01', false, false],
    [' AKIAEXAMPLELEAKED001', false, false],
    ['AKIAEXAMPLELEAKED001 ', false, false],
    ['AKIAEXAMPLELEAKED0012', true, false],
  ])('%s: handled %s, typed by a person %s', (id, handled, typed) => {
    expect(isAccessKeyId(id)).toBe(handled);
    expect(isTypedAccessKeyId(id)).toBe(typed);
  });

  it('takes ASIA keys as temporary, AKIA keys as long-term', () => {
    expect(isTemporaryKey('ASIAEXAMPLESESSION01')).toBe(true);
    expect(isTemporaryKey('AKIAEXAMPLELEAKED001')).toBe(false);
    expect(isTemporaryKey('XASIA')).toBe(false);
  });
});

describe('The record key: what "the same credential" is', () => {
  const keyOf = (credential: Credential, accountId = '111122223333') => credentialKey(incidentAbout(credential, { accountId }));

  it.each([
    [credentials['long-term-key'], 'credential#111122223333#AKIAEXAMPLELEAKED001'],
    [credentials['role-session'], 'credential#111122223333#ASIAEXAMPLEROLESES01'],
    [credentials['federated-session'], 'credential#111122223333#ASIAEXAMPLEFEDERAT01'],
    [credentials['user-session'], 'credential#111122223333#ASIAEXAMPLESESSION01'],
    [{ kind: 'user-session', userName: 'alice' }, 'credential#111122223333#user/alice/console'],
    [credentials['iam-user'], 'credential#111122223333#user/legacy-app'],
    [credentials.root, 'credential#111122223333#root#console'],
    [{ kind: 'root', accessKeyId: 'AKIAEXAMPLEROOTKEY01' }, 'credential#111122223333#root#AKIAEXAMPLEROOTKEY01'],
    [credentials.unmapped, 'credential#111122223333#unmapped#guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90'],
  ] as [Credential, string][])('%o: %s', (credential, key) => {
    expect(keyOf(credential)).toBe(key);
  });

  it('is per account: the same key id in another account is another credential', () => {
    expect(keyOf(credentials['long-term-key'], '444455556666')).toBe('credential#444455556666#AKIAEXAMPLELEAKED001');
    expect(accessKeyRecordKey('444455556666', 'AKIAEXAMPLELEAKED001')).toBe(keyOf(credentials['long-term-key'], '444455556666'));
  });

  it('is written ACCOUNT#KEY for people', () => {
    expect(describeRecordKey('credential#111122223333#AKIAEXAMPLELEAKED001')).toBe('111122223333#AKIAEXAMPLELEAKED001');
    expect(describeRecordKey('breaker#111122223333')).toBe('breaker#111122223333');
  });

  it('names principals user/NAME and role/NAME', () => {
    expect(principalRef({ kind: 'role', name: 'ci-deployer' })).toBe('role/ci-deployer');
  });

  it("shares one record among a principal's sessions only when no key names them", () => {
    expect(sessionsShareRecord({ kind: 'user-session', userName: 'alice' })).toBe(true);
    expect(sessionsShareRecord({ kind: 'root' })).toBe(true);
    expect(sessionsShareRecord(credentials['user-session'])).toBe(false);
    expect(sessionsShareRecord({ kind: 'root', accessKeyId: 'ASIAEXAMPLEROOTSES01' })).toBe(false);
    expect(sessionsShareRecord(credentials['role-session'])).toBe(false);
    expect(sessionsShareRecord(credentials['iam-user'])).toBe(false);
  });
});
