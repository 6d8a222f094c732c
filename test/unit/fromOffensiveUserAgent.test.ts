import { describe, expect, it } from 'vitest';
import { credentialKey } from '../../src/domain/identifiers';
import { CloudTrailApiCallEvent } from '../../src/sources/CloudTrailApiCallEvent';
import { cloudTrailSource } from '../../src/sources/cloudTrailSource';
import { fromOffensiveUserAgent, offensiveToolOf } from '../../src/sources/fromOffensiveUserAgent';
import { loadFixture } from '../support/loadFixture';

const trufflehog = () => CloudTrailApiCallEvent.parse(loadFixture('cloudtrail/trufflehog-get-caller-identity.json'));
/** The AWS CLI v2's user agent on Kali Linux, as CloudTrail records it (the distrib fingerprint Elastic's rule keys on). */
const KALI_CLI =
  'aws-cli/2.23.6 md/awscrt#1.0.0.dev0 ua/2.0 os/linux#6.12.13-amd64 md/arch#x86_64 lang/python#3.13.2 md/pyimpl#CPython ' +
  'cfg/retry-mode#standard md/installer#source md/distrib#kali.2025 md/prompt#off md/command#iam.get-user';

describe("An offensive tool's user agent: an earlier, weaker signal than GuardDuty's", () => {
  it('names the tool: TruffleHog checking a key, the AWS CLI on Kali; an ordinary CLI or an SDK is no tool', () => {
    expect(offensiveToolOf('TruffleHog')).toBe('TruffleHog');
    expect(offensiveToolOf('trufflehog/3.88')).toBe('TruffleHog');
    expect(offensiveToolOf(KALI_CLI)).toBe('Kali Linux');
    expect(offensiveToolOf('aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.1 os/linux#6.8.0 md/arch#x86_64')).toBeUndefined();
    expect(offensiveToolOf('aws-sdk-js/3.1108.0 ua/2.1 os/linux#6.8 lang/js md/nodejs#22.11.0')).toBeUndefined();
    expect(offensiveToolOf(undefined)).toBeUndefined();
  });

  it("is an incident about the caller's key: TruffleHog's sts:GetCallerIdentity with a leaked key", () => {
    expect(fromOffensiveUserAgent(trufflehog())).toMatchObject({
      id: 'cloudtrail:111122223333:8e9f0a1b-2c3d-4e5f-a6b7-c8d9e0f1a2b3',
      source: 'cloudtrail',
      type: 'OffensiveToolUserAgent:TruffleHog',
      severityLabel: 'MEDIUM',
      credential: { kind: 'long-term-key', accessKeyId: 'AKIALEAKEDBUILDBOT01', userName: 'build-bot' },
      evidence: { sourceIp: '198.51.100.23', userAgent: 'TruffleHog', api: 'GetCallerIdentity' },
    });
  });

  it('a call without an access key (a console session, an AWS service) is not about a key: nothing', () => {
    const event = trufflehog();
    delete event.detail.userIdentity.accessKeyId;

    expect(fromOffensiveUserAgent(event)).toBeUndefined();
  });

  it('titles the call with the key, the tool and what was called, and a refused call with its error', () => {
    const kali = trufflehog();
    kali.detail.userAgent = KALI_CLI;
    kali.detail.eventSource = 'iam.amazonaws.com';
    kali.detail.eventName = 'GetUser';
    kali.detail.errorCode = 'AccessDenied';

    expect(fromOffensiveUserAgent(trufflehog())?.title).toBe(
      'AKIALEAKEDBUILDBOT01 was used by TruffleHog (user agent): sts.amazonaws.com GetCallerIdentity',
    );
    expect(fromOffensiveUserAgent(kali)).toMatchObject({
      type: 'OffensiveToolUserAgent:KaliLinux',
      title: 'AKIALEAKEDBUILDBOT01 was used by Kali Linux (user agent): iam.amazonaws.com GetUser (AccessDenied)',
    });
  });

  it('a key used by an ordinary client, or a session key the record ties to no principal: nothing', () => {
    const ordinary = trufflehog();
    ordinary.detail.userAgent = 'aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.1 os/linux#6.8.0 md/arch#x86_64';
    const unowned = trufflehog();
    unowned.detail.userIdentity = { type: 'AssumedRole', accessKeyId: 'ASIALEAKEDSESSION001' };

    expect(fromOffensiveUserAgent(ordinary)).toBeUndefined();
    expect(fromOffensiveUserAgent(unowned)).toBeUndefined();
  });

  it("puts the incident in the caller's account, else the account the call was recorded in", () => {
    const crossAccount = trufflehog();
    crossAccount.detail.userIdentity.accountId = '444455556666';
    crossAccount.detail.recipientAccountId = '777788889999';
    const recorded = trufflehog();
    delete recorded.detail.userIdentity.accountId;
    recorded.detail.recipientAccountId = '777788889999';

    expect(fromOffensiveUserAgent(crossAccount)?.accountId).toBe('444455556666');
    expect(fromOffensiveUserAgent(recorded)?.accountId).toBe('777788889999');
  });

  it("only the CloudTrail function takes the signal: the guard's source answers its own question", () => {
    const reEnabled = loadFixture<any>('cloudtrail/update-access-key-active.json');
    reEnabled.detail.userAgent = KALI_CLI;

    const cloudtrail = cloudTrailSource([], [], { offensiveUserAgents: true });
    const guard = cloudTrailSource([], []);

    expect(cloudtrail.adapt(cloudtrail.schema.parse(reEnabled))).toMatchObject({ kind: 'incidents' });
    expect(guard.adapt(guard.schema.parse(reEnabled))).toMatchObject({ kind: 'tamper' });
  });
  it('keys a session by its principal: two sessions of one role are one record; a long-term key keeps its own', () => {
    const session = (accessKeyId: string, roleName: string) => {
      const event = trufflehog();
      event.detail.userIdentity = {
        type: 'AssumedRole',
        accountId: '111122223333',
        accessKeyId,
        sessionContext: { sessionIssuer: { type: 'Role', userName: roleName } },
      } as typeof event.detail.userIdentity;
      return fromOffensiveUserAgent(event)!;
    };
    const [one, two, other] = [
      session('ASIAKALISESSION00001', 'deploy'),
      session('ASIAKALISESSION00002', 'deploy'),
      session('ASIAKALISESSION00003', 'ops'),
    ];

    expect(one.credential).toMatchObject({
      kind: 'role-session',
      roleName: 'deploy',
      accessKeyId: 'ASIAKALISESSION00001',
      recordedBy: 'principal',
    });
    expect(credentialKey(one)).toBe('credential#111122223333#role/deploy/sessions');
    expect(credentialKey(two)).toBe(credentialKey(one));
    expect(credentialKey(other)).not.toBe(credentialKey(one));
    expect(credentialKey(fromOffensiveUserAgent(trufflehog())!)).toBe('credential#111122223333#AKIALEAKEDBUILDBOT01');
  });

  it("keys a user's session (GetSessionToken's ASIA key) by its user too, apart from the user's long-term key", () => {
    const userSession = (accessKeyId: string, userName: string) => {
      const event = trufflehog();
      event.detail.userIdentity = {
        type: 'IAMUser',
        accountId: '111122223333',
        accessKeyId,
        userName,
        arn: `arn:aws:iam::111122223333:user/${userName}`,
      } as typeof event.detail.userIdentity;
      return fromOffensiveUserAgent(event)!;
    };
    const [one, two, other] = [
      userSession('ASIAKALISESSION00011', 'build-bot'),
      userSession('ASIAKALISESSION00012', 'build-bot'),
      userSession('ASIAKALISESSION00013', 'ops'),
    ];

    expect(one.credential).toMatchObject({ kind: 'user-session', userName: 'build-bot', recordedBy: 'principal' });
    expect(credentialKey(two)).toBe(credentialKey(one));
    expect(credentialKey(other)).not.toBe(credentialKey(one));
    expect(credentialKey(one)).not.toBe(credentialKey(fromOffensiveUserAgent(trufflehog())!));
  });
});
