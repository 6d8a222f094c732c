import { describe, expect, it } from 'vitest';
import type { AdaptedEvent } from '../../src/domain/AdaptedEvent';
import { MalformedEventError } from '../../src/domain/errors';
import { fromSecurityHub, guardDutyTypeOf } from '../../src/sources/fromSecurityHub';
import { parseEvent } from '../../src/sources/parseEvent';
import { SecurityHubFindingsEvent } from '../../src/sources/SecurityHubFindingsEvent';
import { loadFixture } from '../support/loadFixture';

const adapt = (event: unknown) => fromSecurityHub(parseEvent('Security Hub', SecurityHubFindingsEvent, event));
const incidentsOf = (adapted: AdaptedEvent) => (adapted.kind === 'incidents' ? adapted.incidents : []);

describe('Adapter: Security Hub "Findings - Imported" → CredentialIncident', () => {
  it('makes one incident per new GuardDuty key finding in the batch, the first exactly so', () => {
    const found = incidentsOf(adapt(loadFixture('security-hub/two-new-guardduty-key-findings.json')));

    expect(found).toHaveLength(2);
    expect(found[0]).toEqual({
      id: 'guardduty:111122223333:5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f',
      source: 'security-hub',
      type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
      severity: 5,
      severityLabel: 'MEDIUM',
      accountId: '111122223333',
      region: 'eu-west-1',
      observedAt: '2026-11-24T11:05:42.000Z',
      credential: { kind: 'long-term-key', accessKeyId: 'AKIASECHUBLEAKED0001', userName: 'report-exporter' },
      sample: false,
      backupDelivery: false,
      title: 'API ListBuckets was invoked from a Tor exit node IP address.',
      evidence: {
        sourceIp: '198.51.100.23',
        country: 'Germany',
        city: 'Frankfurt',
        asnOrg: 'Documentation Relay Network',
        api: 'ListBuckets',
        serviceName: 's3.amazonaws.com',
        description: 'API ListBuckets was invoked from a Tor exit node IP address 198.51.100.23.',
      },
      origin: {
        findingId: '5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f',
        findingArn:
          'arn:aws:guardduty:eu-west-1:111122223333:detector/0f1e2d3c4b5a69788796a5b4c3d2e1f0/finding/5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f',
        eventId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      },
    });
    expect(found[1]).toMatchObject({
      type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      severity: 8,
      severityLabel: 'HIGH',
      credential: {
        kind: 'role-session',
        accessKeyId: 'ASIASECHUBROLESESS01',
        roleName: 'web-tier',
        sessionName: 'i-0fedcba9876543210',
      },
    });
  });

  it("reads Severity.Original whether it is the specification's string or the number AWS's CLI examples show", () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    event.detail.findings[0].Severity = { Label: 'HIGH', Original: 8 };
    event.detail.findings[0].FindingProviderFields.Severity = { Label: 'HIGH', Original: 8 };

    const adapted = adapt(event);

    expect(adapted.kind === 'incidents' && adapted.incidents[0]!.severity).toBe(8);
  });

  it('gives a finding the id GuardDuty delivered it under, so both deliveries are one incident', () => {
    const [incident] = incidentsOf(adapt(loadFixture('security-hub/two-new-guardduty-key-findings.json')));

    expect(incident!.id).toBe(`guardduty:111122223333:${incident!.origin.findingId}`);
  });

  it('ignores an update of a finding that is no longer NEW, so later updates do not act again', () => {
    expect(adapt(loadFixture('security-hub/notified-update.json'))).toEqual({
      kind: 'ignored',
      reason: 'finding-not-new',
      detail:
        'finding arn:aws:guardduty:eu-west-1:111122223333:detector/0f1e2d3c4b5a69788796a5b4c3d2e1f0/finding/5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f is in workflow status NOTIFIED, not NEW',
    });
  });

  it('ignores an archived finding even when its workflow status is NEW', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    for (const finding of event.detail.findings) finding.RecordState = 'ARCHIVED';

    expect(adapt(event)).toMatchObject({ kind: 'ignored', reason: 'finding-not-new' });
  });

  it('turns a finding whose key Security Hub lost (Id ":null", only UserName) into an iam-user incident', () => {
    const [incident, ...others] = incidentsOf(adapt(loadFixture('security-hub/key-unknown-user-only.json')));

    expect(others).toEqual([]);
    expect(incident).toMatchObject({
      type: 'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B',
      severity: 5,
      region: 'us-east-1',
      credential: { kind: 'iam-user', userName: 'ops-admin' },
      evidence: { sourceIp: '192.0.2.201', country: 'Portugal', api: 'ConsoleLogin', serviceName: 'signin.amazonaws.com' },
      sample: false,
    });
  });

  it('classifies a Root principal as root', () => {
    const [incident] = incidentsOf(adapt(loadFixture('security-hub/root-credential-usage.json')));

    expect(incident).toMatchObject({
      type: 'Policy:IAMUser/RootCredentialUsage',
      severityLabel: 'LOW',
      credential: { kind: 'root', accessKeyId: 'ASIASECHUBROOTSES001' },
    });
  });

  it.each([
    [
      { PrincipalType: 'IAMUser', PrincipalName: 'ci', AccessKeyId: 'ASIASECHUBUSERSES001' },
      { kind: 'user-session', accessKeyId: 'ASIASECHUBUSERSES001', userName: 'ci' },
    ],
    [
      { PrincipalType: 'FederatedUser', PrincipalName: 'ana@example.com', AccessKeyId: 'ASIASECHUBFEDERAT001' },
      { kind: 'federated-session', accessKeyId: 'ASIASECHUBFEDERAT001', principalName: 'ana@example.com' },
    ],
    [
      { UserName: 'old-shape', AccessKeyId: 'AKIASECHUBOLDSHAPE01' },
      { kind: 'long-term-key', accessKeyId: 'AKIASECHUBOLDSHAPE01', userName: 'old-shape' },
    ],
    [{ PrincipalType: 'Root' }, { kind: 'root' }],
  ])('classifies AwsIamAccessKey %o as %o', (details, credential) => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    event.detail.findings = [event.detail.findings[0]];
    event.detail.findings[0].Resources[0].Id = 'AWS::IAM::AccessKey:null';
    event.detail.findings[0].Resources[0].Details.AwsIamAccessKey = details;

    expect(incidentsOf(adapt(event))[0]!.credential).toEqual(credential);
  });

  it('takes the key from the resource Id when Details does not carry it', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    delete event.detail.findings[0].Resources[0].Details.AwsIamAccessKey.AccessKeyId;

    expect(incidentsOf(adapt(event))[0]!.credential).toEqual({
      kind: 'long-term-key',
      accessKeyId: 'AKIASECHUBLEAKED0001',
      userName: 'report-exporter',
    });
  });

  it.each([
    ['text that is no key id', 'not-a-key'],
    ['a key id with a path in it', 'AKIA../../user/admin'],
    ['a lower-case key id', 'akiasechubleaked0001'],
  ])('reports a finding whose AccessKeyId is %s as unmapped, quoting it: nothing is sent to IAM with it', (_, bogus) => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    event.detail.findings[0].Resources[0].Details.AwsIamAccessKey.AccessKeyId = bogus;

    const credential = incidentsOf(adapt(event))[0]!.credential;
    expect(credential.kind).toBe('unmapped');
    expect(JSON.stringify(credential)).toContain(bogus);
  });

  it('marks GuardDuty sample findings so that they can never cause containment', () => {
    const [incident] = incidentsOf(adapt(loadFixture('security-hub/sample-finding.json')));

    expect(incident!.sample).toBe(true);
  });

  it('keeps only the GuardDuty key finding of a batch that also holds EC2 and Inspector findings', () => {
    const found = incidentsOf(adapt(loadFixture('security-hub/mixed-batch-one-key-finding.json')));

    expect(found.map((i) => i.credential)).toEqual([
      { kind: 'long-term-key', accessKeyId: 'AKIASECHUBLEAKED0001', userName: 'report-exporter' },
    ]);
  });

  it('ignores findings of other products, with the reason', () => {
    expect(adapt(loadFixture('security-hub/inspector-finding.json'))).toEqual({
      kind: 'ignored',
      reason: 'not-a-guardduty-finding',
      detail:
        'finding arn:aws:inspector2:eu-west-1:111122223333:finding/0a1b2c3d4e5f60718293a4b5c6d7e8f9 comes from arn:aws:securityhub:eu-west-1::product/aws/inspector, not GuardDuty',
    });
  });

  it('reports a GuardDuty credential finding that names neither a key nor a user as unmapped, quoting the resource id', () => {
    const event = loadFixture('security-hub/key-unknown-user-only.json');
    event.detail.findings[0].Resources[0].Details.AwsIamAccessKey = {};

    const adapted = adapt(event);

    expect(adapted.kind).toBe('incidents');
    if (adapted.kind !== 'incidents') return;
    expect(adapted.incidents.map((i) => i.credential)).toEqual([
      { kind: 'unmapped', entities: [event.detail.findings[0].Resources[0].Id] },
    ]);
  });

  it('rejects a finding without a workflow status, naming the field', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    delete event.detail.findings[1].Workflow;
    delete event.detail.findings[1].WorkflowState;

    expect(() => adapt(event)).toThrow(MalformedEventError);
    expect(() => adapt(event)).toThrow(/detail\.findings\.1\.Workflow\.Status: a finding must carry its workflow status/);
  });

  it('rejects a finding whose account is not an account id, naming the field', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    event.detail.findings[0].AwsAccountId = 'acme';

    expect(() => adapt(event)).toThrow(/detail\.findings\.0\.AwsAccountId: must be a 12-digit AWS account id/);
  });

  it('rejects an event of another detail-type (a custom action is a person asking, not a new finding)', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    event['detail-type'] = 'Security Hub Findings - Custom Action';

    expect(() => adapt(event)).toThrow(/detail-type/);
  });
});

describe('GuardDuty finding type from ASFF Types', () => {
  it.each([
    ['TTPs/Command and Control/UnauthorizedAccess:IAMUser-TorIPCaller', 'UnauthorizedAccess:IAMUser/TorIPCaller'],
    ['TTPs/PenTest:IAMUser/KaliLinux', 'PenTest:IAMUser/KaliLinux'],
    [
      'Unusual Behaviors/User/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS',
      'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    ],
    ['TTPs/Discovery:IAMUser-AnomalousBehavior', 'Discovery:IAMUser/AnomalousBehavior'],
  ])('reads %s as %s', (path, type) => {
    expect(guardDutyTypeOf({ Types: [path] })).toBe(type);
  });
});

describe('Adapter: Security Hub fields the customer can edit only lower what Keystop does', () => {
  /** A LOW GuardDuty finding (a Stealth change) as GuardDuty wrote it: FindingProviderFields hold the provider's view. */
  const lowFinding = () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    const finding = event.detail.findings[0];
    const provided = ['Stealth:IAMUser/PasswordPolicyChange'];
    Object.assign(finding, { Types: provided, Severity: { Label: 'LOW', Normalized: 20, Product: 2, Original: '2' } });
    finding.FindingProviderFields = { Types: provided, Severity: { Label: 'LOW', Original: '2' } };
    return event;
  };

  it('takes the type and severity GuardDuty wrote, not a BatchUpdateFindings retype to TorIPCaller and CRITICAL', () => {
    const event = lowFinding();
    Object.assign(event.detail.findings[0], {
      Types: ['TTPs/Command and Control/UnauthorizedAccess:IAMUser-TorIPCaller'],
      Severity: { Label: 'CRITICAL', Normalized: 90, Product: 9, Original: '2' },
    });

    const [incident] = incidentsOf(adapt(event));

    expect(incident).toMatchObject({ type: 'Stealth:IAMUser/PasswordPolicyChange', severity: 2, severityLabel: 'LOW' });
  });

  it('lets an edited severity label lower the severity, never raise it', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    event.detail.findings[0].Severity.Label = 'LOW';

    const [incident] = incidentsOf(adapt(event));

    expect(incident).toMatchObject({ severity: 2, severityLabel: 'LOW' });
  });

  it('does not ignore a NEW finding because a note says UpdatedBy keystop: anyone allowed BatchUpdateFindings writes that', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    const finding = event.detail.findings[0];
    finding.Note = { Text: 'Keystop: contained', UpdatedBy: 'keystop', UpdatedAt: finding.UpdatedAt };

    expect(incidentsOf(adapt(event)).map((i) => i.credential)).toContainEqual(
      expect.objectContaining({ accessKeyId: 'AKIASECHUBLEAKED0001' }),
    );
  });
});
