import { describe, expect, it } from 'vitest';
import type { AdaptedEvent } from '../../src/domain/AdaptedEvent';
import { MalformedEventError } from '../../src/domain/errors';
import { CloudTrailApiCallEvent } from '../../src/sources/CloudTrailApiCallEvent';
import { fromCloudTrail } from '../../src/sources/fromCloudTrail';
import { parseEvent } from '../../src/sources/parseEvent';
import { loadFixture } from '../support/loadFixture';

const HONEY = ['AKIAHONEYBAITKEY0001', 'AKIAHONEYBAITKEY0002'];
const adapt = (event: unknown, honeyKeys: readonly string[] = HONEY) =>
  fromCloudTrail(parseEvent('CloudTrail', CloudTrailApiCallEvent, event), honeyKeys);
const incidentsOf = (adapted: AdaptedEvent) => (adapted.kind === 'incidents' ? adapted.incidents : []);

/** The older, inline form of the quarantine, made from the managed-attach fixture. */
function inlineQuarantine(policyName: string) {
  const event = loadFixture('cloudtrail/quarantine-policy-attached.json');
  event.detail.eventName = 'PutUserPolicy';
  event.detail.requestParameters = {
    userName: event.detail.requestParameters.userName,
    policyName,
    policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["iam:CreateUser"],"Resource":["*"]}]}',
  };
  return event;
}

describe('Adapter: CloudTrail API call → CredentialIncident', () => {
  it('turns any call made with a configured honey key, even a denied one, into a long-term-key incident', () => {
    expect(adapt(loadFixture('cloudtrail/honey-key-used.json'))).toEqual({
      kind: 'incidents',
      incidents: [
        {
          id: 'cloudtrail:111122223333:d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f6a',
          source: 'cloudtrail',
          type: 'HoneyKeyUsed',
          severity: 9,
          severityLabel: 'CRITICAL',
          accountId: '111122223333',
          region: 'us-east-1',
          observedAt: '2026-11-26T22:03:12Z',
          credential: { kind: 'long-term-key', accessKeyId: 'AKIAHONEYBAITKEY0001', userName: 'billing-backup-svc' },
          sample: false,
          backupDelivery: false,
          title: 'Honey key AKIAHONEYBAITKEY0001 was used: iam.amazonaws.com CreateUser (AccessDenied)',
          evidence: {
            sourceIp: '203.0.113.66',
            api: 'CreateUser',
            serviceName: 'iam.amazonaws.com',
            userAgent: 'aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.1 os/linux#6.8.0 md/arch#x86_64',
          },
          origin: { findingId: 'd2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f6a', eventId: '9c0d1e2f-3a4b-4c5d-8e6f-8a9b0c1d2e3f' },
        },
      ],
    });
  });

  it('ignores a call with a key that is not a configured honey key', () => {
    expect(adapt(loadFixture('cloudtrail/honey-key-used.json'), ['AKIASOMEOTHERBAIT001'])).toEqual({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: 'iam.amazonaws.com CreateUser is neither a call with a configured honey key nor AWS quarantining a user',
    });
  });

  it('leaves the owner of a honey key to be looked up when the record does not name it', () => {
    const event = loadFixture('cloudtrail/honey-key-used.json');
    delete event.detail.userIdentity.userName;

    expect(incidentsOf(adapt(event))[0]!.credential).toEqual({ kind: 'long-term-key', accessKeyId: 'AKIAHONEYBAITKEY0001' });
  });

  it('names the role of a honey key used as a role session', () => {
    const event = loadFixture('cloudtrail/honey-key-used.json');
    event.detail.userIdentity = {
      type: 'AssumedRole',
      principalId: 'AROAHONEYROLE0000001:bait',
      accountId: '111122223333',
      accessKeyId: 'AKIAHONEYBAITKEY0002',
      sessionContext: { sessionIssuer: { type: 'Role', userName: 'bait-role' } },
    };

    expect(incidentsOf(adapt(event))[0]!.credential).toEqual({
      kind: 'role-session',
      accessKeyId: 'AKIAHONEYBAITKEY0002',
      roleName: 'bait-role',
      sessionName: 'bait',
    });
  });

  it('turns AWS attaching its quarantine policy into an iam-user incident for the user it names', () => {
    const [incident, ...others] = incidentsOf(adapt(loadFixture('cloudtrail/quarantine-policy-attached.json')));

    expect(others).toEqual([]);
    expect(incident).toEqual(
      expect.objectContaining({
        id: 'cloudtrail:111122223333:c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
        type: 'QuarantinePolicyAttached:AWSCompromisedKeyQuarantineV3',
        severity: 8,
        severityLabel: 'HIGH',
        accountId: '111122223333',
        region: 'us-east-1',
        observedAt: '2026-11-22T06:14:29Z',
        credential: { kind: 'iam-user', userName: 'legacy-uploader' },
        title: 'AWSCompromisedKeyQuarantineV3 was attached to IAM user legacy-uploader: AWS found one of its keys exposed',
      }),
    );
  });

  it.each(['AWSCompromisedKeyQuarantine', 'AWSCompromisedKeyQuarantineV2', 'AWSCompromisedKeyQuarantineV4'])(
    'recognises every version of the quarantine policy: %s',
    (policyName) => {
      const event = loadFixture('cloudtrail/quarantine-policy-attached.json');
      event.detail.requestParameters.policyArn = `arn:aws:iam::aws:policy/${policyName}`;

      expect(incidentsOf(adapt(event))[0]!.type).toBe(`QuarantinePolicyAttached:${policyName}`);
    },
  );

  it('ignores attaching any other policy, and a quarantine attachment that failed', () => {
    const other = loadFixture('cloudtrail/quarantine-policy-attached.json');
    other.detail.requestParameters.policyArn = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    const failed = loadFixture('cloudtrail/quarantine-policy-attached.json');
    failed.detail.errorCode = 'AccessDenied';

    expect(adapt(other)).toMatchObject({ kind: 'ignored', reason: 'not-a-compromise-signal' });
    expect(adapt(failed)).toEqual({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: "AttachUserPolicy of AWS's quarantine policy failed (AccessDenied): nothing changed",
    });
  });

  it.each(['AWSCompromisedKeyQuarantine', 'AWSCompromisedKeyQuarantineV3', 'AWSExposedCredentialPolicy_DO_NOT_REMOVE'])(
    'treats AWS putting its quarantine inline (PutUserPolicy %s) like the managed attach: an iam-user incident',
    (policyName) => {
      const event = inlineQuarantine(policyName);

      const adapted = adapt(event);

      expect(adapted.kind === 'incidents' && adapted.incidents.map((i) => [i.type, i.credential, i.title])).toEqual([
        [
          `QuarantinePolicyAttached:${policyName}`,
          { kind: 'iam-user', userName: event.detail.requestParameters.userName },
          `${policyName} was put inline on IAM user ${event.detail.requestParameters.userName}: AWS found one of its keys exposed`,
        ],
      ]);
    },
  );

  it("ignores a customer's own deny-all inline policy, and an inline quarantine that failed", () => {
    const own = inlineQuarantine('TestUserDenyAll');
    const failed = inlineQuarantine('AWSExposedCredentialPolicy_DO_NOT_REMOVE');
    failed.detail.errorCode = 'NoSuchEntity';

    expect(adapt(own)).toMatchObject({ kind: 'ignored', reason: 'not-a-compromise-signal' });
    expect(adapt(failed)).toEqual({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: "PutUserPolicy of AWS's quarantine policy failed (NoSuchEntity): nothing changed",
    });
  });

  it('ignores ordinary API calls, with the reason', () => {
    expect(adapt(loadFixture('cloudtrail/ordinary-api-call.json'))).toMatchObject({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: 'ec2.amazonaws.com RunInstances is neither a call with a configured honey key nor AWS quarantining a user',
    });
  });

  it('rejects a quarantine event that does not name the user, naming the field', () => {
    const event = loadFixture('cloudtrail/quarantine-policy-attached.json');
    delete event.detail.requestParameters.userName;

    expect(() => adapt(event)).toThrow(MalformedEventError);
    expect(() => adapt(event)).toThrow(/detail\.requestParameters\.userName: AWS attaching its quarantine policy must name the user/);
  });

  it('rejects a record without its caller, naming the field', () => {
    const event = loadFixture('cloudtrail/honey-key-used.json');
    delete event.detail.userIdentity;

    expect(() => adapt(event)).toThrow(/detail\.userIdentity/);
  });
});

describe("Adapter: CloudTrail, AWS's quarantine told apart from look-alikes", () => {
  const attach = (policyArn: unknown) => {
    const event = loadFixture('cloudtrail/quarantine-policy-attached.json');
    event.detail.requestParameters.policyArn = policyArn;
    return event;
  };

  it("recognises AWS's quarantine policy in every partition (GovCloud, China)", () => {
    for (const partition of ['aws-us-gov', 'aws-cn']) {
      const event = attach(`arn:${partition}:iam::aws:policy/AWSCompromisedKeyQuarantineV3`);

      expect(incidentsOf(adapt(event)).map((i) => i.type)).toEqual(['QuarantinePolicyAttached:AWSCompromisedKeyQuarantineV3']);
    }
  });

  it("ignores a customer's own policy whose path spells AWS's ARN: only a policy AWS owns (account `aws`) quarantines", () => {
    const event = attach('arn:aws:iam::111122223333:policy/arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2');

    expect(adapt(event)).toEqual({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: 'iam.amazonaws.com AttachUserPolicy is neither a call with a configured honey key nor AWS quarantining a user',
    });
  });

  it('ignores a policy ARN or an inline policy name that is not text, even when it reads like the quarantine', () => {
    const arnList = attach(['arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2']);
    const nameList = inlineQuarantine('AWSCompromisedKeyQuarantineV3');
    nameList.detail.requestParameters.policyName = ['AWSCompromisedKeyQuarantineV3'];

    expect(adapt(arnList)).toMatchObject({ kind: 'ignored', reason: 'not-a-compromise-signal' });
    expect(adapt(nameList)).toMatchObject({ kind: 'ignored', reason: 'not-a-compromise-signal' });
  });

  it("takes the inline quarantine's names exactly: not a name that contains or extends them", () => {
    for (const policyName of [
      'MyAWSCompromisedKeyQuarantine',
      'AWSExposedCredentialPolicy_DO_NOT_REMOVE_backup',
      'AWSCompromisedKeyQuarantine-old',
    ]) {
      expect(adapt(inlineQuarantine(policyName)), policyName).toMatchObject({ kind: 'ignored', reason: 'not-a-compromise-signal' });
    }
  });

  it('ignores the quarantine names put on a role or a group: AWS quarantines users (and the call names no user)', () => {
    for (const [eventName, principal] of [
      ['PutRolePolicy', { roleName: 'web' }],
      ['PutGroupPolicy', { groupName: 'ops' }],
    ] as const) {
      const event = inlineQuarantine('AWSCompromisedKeyQuarantineV3');
      event.detail.eventName = eventName;
      delete event.detail.requestParameters.userName;
      Object.assign(event.detail.requestParameters, principal);

      expect(adapt(event), eventName).toMatchObject({ kind: 'ignored', reason: 'not-a-compromise-signal' });
    }
  });

  it("ignores the quarantine's call recorded by another service: it is IAM's call", () => {
    const event = loadFixture('cloudtrail/quarantine-policy-attached.json');
    event.detail.eventSource = 'organizations.amazonaws.com';

    expect(adapt(event)).toEqual({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: 'organizations.amazonaws.com AttachUserPolicy is neither a call with a configured honey key nor AWS quarantining a user',
    });
  });
});

describe('Adapter: CloudTrail, a honey key used from elsewhere', () => {
  it("puts the incident in the caller's account, else the account the call was recorded in, else the envelope's", () => {
    const crossAccount = loadFixture('cloudtrail/honey-key-used.json');
    crossAccount.detail.userIdentity.accountId = '444455556666';
    crossAccount.detail.recipientAccountId = '777788889999';
    const recorded = loadFixture('cloudtrail/honey-key-used.json');
    delete recorded.detail.userIdentity.accountId;
    recorded.detail.recipientAccountId = '777788889999';

    expect(incidentsOf(adapt(crossAccount))[0]).toMatchObject({
      accountId: '444455556666',
      id: expect.stringMatching(/^cloudtrail:444455556666:/),
    });
    expect(incidentsOf(adapt(recorded))[0]!.accountId).toBe('777788889999');
  });

  it('titles a call that succeeded without an error in brackets', () => {
    const event = loadFixture('cloudtrail/honey-key-used.json');
    delete event.detail.errorCode;

    expect(incidentsOf(adapt(event))[0]!.title).toBe('Honey key AKIAHONEYBAITKEY0001 was used: iam.amazonaws.com CreateUser');
  });

  it('reads a role session without its issuer as a key whose owner IAM is asked for', () => {
    const event = loadFixture('cloudtrail/honey-key-used.json');
    event.detail.userIdentity = { type: 'AssumedRole', accessKeyId: 'AKIAHONEYBAITKEY0001', sessionContext: { attributes: {} } };

    expect(incidentsOf(adapt(event))[0]!.credential).toEqual({ kind: 'long-term-key', accessKeyId: 'AKIAHONEYBAITKEY0001' });
  });

  it('makes no incident for a honey key configured as a session key (ASIA) that the record ties to no principal', () => {
    const event = loadFixture('cloudtrail/honey-key-used.json');
    event.detail.userIdentity = { type: 'AssumedRole', accessKeyId: 'ASIAHONEYSESSION0001' };

    expect(adapt(event, ['ASIAHONEYSESSION0001'])).toMatchObject({ kind: 'ignored', reason: 'not-a-compromise-signal' });
  });
});
