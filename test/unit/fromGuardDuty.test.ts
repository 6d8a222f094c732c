import { describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../src/domain/errors';
import { fromGuardDuty } from '../../src/sources/fromGuardDuty';
import { GuardDutyFindingEvent } from '../../src/sources/GuardDutyFindingEvent';
import { parseEvent } from '../../src/sources/parseEvent';
import { loadFixture } from '../support/loadFixture';

const adapt = (event: unknown) => fromGuardDuty(parseEvent('GuardDuty', GuardDutyFindingEvent, event));

function withKey(details: Record<string, unknown>) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.detail.resource.accessKeyDetails = details;
  return event;
}

describe('Adapter: GuardDuty finding → CredentialIncident', () => {
  it("turns a finding about an IAM user's AKIA key into one long-term-key incident with its evidence", () => {
    const adapted = adapt(loadFixture('guardduty/tor-ip-caller-long-term-key.json'));

    expect(adapted).toEqual({
      kind: 'incidents',
      incidents: [
        {
          id: 'guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90',
          source: 'guardduty',
          type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
          severity: 5,
          severityLabel: 'MEDIUM',
          accountId: '111122223333',
          region: 'eu-west-1',
          observedAt: '2026-10-02T08:16:45Z',
          firstSeenAt: '2026-10-02T08:14:03Z',
          credential: { kind: 'long-term-key', accessKeyId: 'AKIAFIXTURELEAKED001', userName: 'build-bot' },
          sample: false,
          backupDelivery: false,
          title: 'API GetCallerIdentity was invoked from a Tor exit node IP address.',
          evidence: {
            sourceIp: '192.0.2.77',
            country: 'Netherlands',
            city: 'Amsterdam',
            asnOrg: 'Documentation Tor Relay AS',
            isp: 'Example Transit',
            api: 'GetCallerIdentity',
            serviceName: 'sts.amazonaws.com',
            userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
            description: 'API GetCallerIdentity was invoked from a Tor exit node IP address 192.0.2.77.',
          },
          origin: {
            findingId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
            findingArn:
              'arn:aws:guardduty:eu-west-1:111122223333:detector/0f1e2d3c4b5a69788796a5b4c3d2e1f0/finding/a1b2c3d4e5f60718293a4b5c6d7e8f90',
            eventId: 'c2d4e6f8-0a1b-4c3d-8e5f-7a9b1c3d5e7f',
          },
        },
      ],
    });
  });

  it('takes the owning account from detail.accountId, not from the envelope (the delegated administrator)', () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    expect(event.account).toBe('999988887777');

    const adapted = adapt(event);

    expect(adapted.kind === 'incidents' && adapted.incidents[0]!.accountId).toBe('111122223333');
  });

  it.each([
    [
      { accessKeyId: 'ASIAFIXTURESESSION01', userType: 'IAMUser', userName: 'build-bot' },
      { kind: 'user-session', accessKeyId: 'ASIAFIXTURESESSION01', userName: 'build-bot' },
    ],
    [
      { accessKeyId: 'ASIAFIXTUREROLESES01', userType: 'AssumedRole', userName: 'web-tier', principalId: 'AROAFIXTURE:i-0abc123' },
      { kind: 'role-session', accessKeyId: 'ASIAFIXTUREROLESES01', roleName: 'web-tier', sessionName: 'i-0abc123' },
    ],
    [
      { accessKeyId: 'ASIAFIXTUREROOTSES01', userType: 'Root', userName: 'Root' },
      { kind: 'root', accessKeyId: 'ASIAFIXTUREROOTSES01' },
    ],
    [
      { accessKeyId: 'ASIAFIXTUREFEDERA01', userType: 'FederatedUser', userName: 'alice@example.com' },
      { kind: 'federated-session', accessKeyId: 'ASIAFIXTUREFEDERA01', principalName: 'alice@example.com' },
    ],
  ])('classifies %o as %o', (details, credential) => {
    const adapted = adapt(withKey(details));

    expect(adapted.kind === 'incidents' && adapted.incidents[0]!.credential).toEqual(credential);
  });

  it('marks sample findings so that they can never cause containment', () => {
    const adapted = adapt(loadFixture('guardduty/sample-finding.json'));

    expect(adapted.kind === 'incidents' && adapted.incidents[0]!.sample).toBe(true);
  });

  it('ignores findings about other resources, with the reason', () => {
    expect(adapt(loadFixture('guardduty/ec2-finding.json'))).toEqual({
      kind: 'ignored',
      reason: 'not-a-credential-finding',
      detail: 'CryptoCurrency:EC2/BitcoinTool.B!DNS is about a resource of type Instance, not a credential',
    });
  });

  it('rejects an AccessKey finding without accessKeyDetails, naming the field', () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    delete event.detail.resource.accessKeyDetails;

    expect(() => adapt(event)).toThrow(MalformedEventError);
    expect(() => adapt(event)).toThrow(/detail\.resource\.accessKeyDetails: an AccessKey finding must carry accessKeyDetails/);
  });

  it('rejects an event from another source or detail-type', () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    event.source = 'aws.securityhub';

    expect(() => adapt(event)).toThrow(/source: Invalid input: expected "aws\.guardduty"/);
  });
});
