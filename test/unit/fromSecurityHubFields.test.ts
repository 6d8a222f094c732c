import { describe, expect, it } from 'vitest';
import type { AdaptedEvent } from '../../src/domain/AdaptedEvent';
import { fromSecurityHub, guardDutyTypeOf } from '../../src/sources/fromSecurityHub';
import { parseEvent } from '../../src/sources/parseEvent';
import { SecurityHubFindingsEvent } from '../../src/sources/SecurityHubFindingsEvent';
import { loadFixture } from '../support/loadFixture';

/** The first finding of the two-finding batch, alone, after `change` edits it (and, if it likes, the event). */
function oneFinding(change: (finding: Record<string, any>, event: Record<string, any>) => void) {
  const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
  event.detail.findings = [event.detail.findings[0]];
  change(event.detail.findings[0], event);
  return fromSecurityHub(parseEvent('Security Hub', SecurityHubFindingsEvent, event));
}
const only = (adapted: AdaptedEvent) =>
  adapted.kind === 'incidents' && adapted.incidents.length === 1 ? adapted.incidents[0]! : undefined;
const FINDING_UPDATED = '2026-11-24T11:09:55.118Z';

describe("Security Hub: a note decides nothing at the adapter (the credential's record recognises Keystop's echo)", () => {
  it('a finding with a note by "keystop" is still an incident, marked as updated by a customer so the record is read first', () => {
    const noted = oneFinding((f) => {
      f.Note = { Text: 'Keystop contained it', UpdatedBy: 'keystop', UpdatedAt: '2026-11-24T11:10:30.000Z' };
    });
    const sameTime = oneFinding((f) => {
      f.Note = { Text: 'n', UpdatedBy: 'keystop', UpdatedAt: FINDING_UPDATED };
    });

    expect(only(noted)).toMatchObject({ credential: { accessKeyId: 'AKIASECHUBLEAKED0001' }, updatedByCustomer: true });
    expect(only(sameTime)).toMatchObject({ updatedByCustomer: true });
  });

  it.each([
    { what: 'GuardDuty updated the finding after the note', note: { UpdatedBy: 'keystop', UpdatedAt: '2026-11-24T11:00:00.000Z' } },
    { what: 'someone else wrote the note', note: { UpdatedBy: 'analyst', UpdatedAt: '2026-11-24T11:10:30.000Z' } },
    { what: 'the note carries no time', note: { UpdatedBy: 'keystop' } },
    { what: 'the note time is not a time', note: { UpdatedBy: 'keystop', UpdatedAt: 'later' } },
  ])('is a new report when $what', ({ note }) => {
    const adapted = oneFinding((f) => {
      f.Note = { Text: 'n', ...note };
    });

    expect(only(adapted)).toMatchObject({ credential: { accessKeyId: 'AKIASECHUBLEAKED0001' } });
  });
});

describe('Security Hub: findings that are not ours say why', () => {
  it('an archived finding says it is archived', () => {
    expect(oneFinding((f) => (f.RecordState = 'ARCHIVED'))).toEqual({
      kind: 'ignored',
      reason: 'finding-not-new',
      detail: expect.stringMatching(/is archived, not NEW$/),
    });
  });

  it('a GuardDuty finding about other resources names their types', () => {
    const adapted = oneFinding((f) => {
      f.Resources = [
        { Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc' },
        { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::logs' },
      ];
    });

    expect(adapted).toEqual({
      kind: 'ignored',
      reason: 'not-a-credential-finding',
      detail: expect.stringMatching(/is about AwsEc2Instance, AwsS3Bucket, not a credential$/),
    });
  });

  it('a batch with nothing of ours gives every finding its reason, joined', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    for (const finding of event.detail.findings) finding.RecordState = 'ARCHIVED';

    const adapted = fromSecurityHub(parseEvent('Security Hub', SecurityHubFindingsEvent, event));

    expect(adapted.kind === 'ignored' && adapted.detail.split('; ')).toHaveLength(2);
  });
});

describe('Security Hub: where the incident happened and how bad it is', () => {
  it("takes the region from the resource, else from the finding, else from the event's envelope", () => {
    const fromFinding = oneFinding((f) => {
      delete f.Resources[0].Region;
      f.Region = 'eu-central-1';
    });
    const fromEvent = oneFinding((f, e) => {
      delete f.Resources[0].Region;
      delete f.Region;
      e.region = 'ap-southeast-2';
    });

    expect(only(fromFinding)?.region).toBe('eu-central-1');
    expect(only(fromEvent)?.region).toBe('ap-southeast-2');
  });

  // What only GuardDuty writes decides (FindingProviderFields.Severity, else Severity.Original, else the older Product
  // and Normalized scores); the customer-editable Severity.Label may only lower it (fromSecurityHub.test.ts).
  it.each([
    { provider: { Original: '10' }, severity: {}, expected: 10 },
    { provider: { Original: '0' }, severity: {}, expected: 0 },
    { provider: { Original: '11', Label: 'HIGH' }, severity: {}, expected: 8 },
    { provider: { Original: '-1', Label: 'LOW' }, severity: {}, expected: 2 },
    { provider: { Original: 'HIGH', Label: 'CRITICAL' }, severity: {}, expected: 9 },
    { provider: undefined, severity: { Original: '7' }, expected: 7 },
    { provider: undefined, severity: { Product: 10 }, expected: 10 },
    { provider: undefined, severity: { Product: 0, Normalized: 80 }, expected: 0 },
    { provider: undefined, severity: { Product: 11, Normalized: 80 }, expected: 8 },
    { provider: undefined, severity: { Product: -1, Normalized: 80 }, expected: 8 },
    { provider: undefined, severity: { Normalized: 100 }, expected: 10 },
    { provider: undefined, severity: { Normalized: 101 }, expected: 0 },
    // GuardDuty's 0 is a score, not a missing one; and an edited label may lower a score, keep it, never raise it.
    { provider: { Original: '0' }, severity: { Product: 5 }, expected: 0 },
    { provider: undefined, severity: { Normalized: 0, Label: 'HIGH' }, expected: 0 },
    { provider: { Original: '7' }, severity: { Label: 'HIGH' }, expected: 7 },
    { provider: { Original: '9' }, severity: { Label: 'HIGH' }, expected: 8 },
    { provider: { Original: '9.5' }, severity: { Label: 'LOW' }, expected: 2 },
    { provider: { Original: '5' }, severity: { Label: 'INFORMATIONAL' }, expected: 0 },
  ])("reads GuardDuty's score $expected from provider $provider and severity $severity", ({ provider, severity, expected }) => {
    const adapted = oneFinding((f) => {
      f.FindingProviderFields = { ...f.FindingProviderFields, Severity: provider };
      if (provider === undefined) delete f.FindingProviderFields.Severity;
      f.Severity = severity;
    });

    expect(only(adapted)?.severity).toBe(expected);
  });

  it('takes an IPv6 caller and the ISP when GuardDuty gives them', () => {
    const adapted = oneFinding((f) => {
      const prefix = 'aws/guardduty/service/action/awsApiCallAction/remoteIpDetails';
      delete f.ProductFields[`${prefix}/ipAddressV4`];
      f.ProductFields[`${prefix}/ipAddressV6`] = '2001:db8::7';
      f.ProductFields[`${prefix}/organization/isp`] = 'Example Transit';
    });

    expect(only(adapted)?.evidence).toMatchObject({ sourceIp: '2001:db8::7', isp: 'Example Transit' });
  });
});

describe('Security Hub: which credential the resource names', () => {
  it.each([
    { id: 'AKIASECHUBLEAKED0002', what: 'an Id that is only a key id' },
    { id: 'AWS::IAM::AccessKey:', what: 'an Id that ends with a colon' },
  ])('takes no key from $what', ({ id }) => {
    const adapted = oneFinding((f) => {
      f.Resources[0].Id = id;
      f.Resources[0].Details = { AwsIamAccessKey: { PrincipalType: 'AssumedRole', PrincipalName: 'ci' } };
    });

    expect(only(adapted)?.credential).toMatchObject({ kind: 'unmapped' });
  });

  it('makes an iam-user incident only for an IAM user with a name', () => {
    const named = oneFinding((f) => {
      f.Resources[0].Id = 'AWS::IAM::AccessKey:null';
      f.Resources[0].Details = { AwsIamAccessKey: { PrincipalType: 'IAMUser', UserName: 'ops-admin' } };
    });
    const nameless = oneFinding((f) => {
      f.Resources[0].Id = 'AWS::IAM::AccessKey:null';
      f.Resources[0].Details = { AwsIamAccessKey: { PrincipalType: 'IAMUser' } };
    });
    const role = oneFinding((f) => {
      f.Resources[0].Id = 'AWS::IAM::AccessKey:null';
      f.Resources[0].Details = { AwsIamAccessKey: { PrincipalType: 'AssumedRole', PrincipalName: 'ci' } };
    });

    const emptyId = oneFinding((f) => {
      f.Resources[0].Id = 'AWS::IAM::AccessKey:';
      f.Resources[0].Details = { AwsIamAccessKey: { PrincipalType: 'IAMUser', UserName: 'ops-admin' } };
    });

    expect(only(named)?.credential).toEqual({ kind: 'iam-user', userName: 'ops-admin' });
    expect(only(emptyId)?.credential).toEqual({ kind: 'iam-user', userName: 'ops-admin' });
    expect(only(nameless)?.credential).toMatchObject({ kind: 'unmapped' });
    expect(only(role)?.credential).toMatchObject({ kind: 'unmapped' });
  });
});

describe("Security Hub: GuardDuty's finding type", () => {
  it('skips empty Types, falls back to the first Type without a colon, then the title, then "unknown"', () => {
    expect(guardDutyTypeOf({ Types: ['', 'TTPs/Recon:IAMUser/UserPermissions'] })).toBe('Recon:IAMUser/UserPermissions');
    expect(guardDutyTypeOf({ Types: ['Software and Configuration Checks/Other'], Title: 'a title' })).toBe(
      'Software and Configuration Checks/Other',
    );
    expect(guardDutyTypeOf({ Types: [''], Title: 'a title' })).toBe('a title');
    expect(guardDutyTypeOf({ Title: 'a title' })).toBe('a title');
    expect(guardDutyTypeOf({})).toBe('unknown');
  });

  it('rewrites only the first dash after the "Family:Resource" that starts the type', () => {
    expect(guardDutyTypeOf({ Types: ['TTPs/Weird-Recon:IAMUser-UserPermissions'] })).toBe('Weird-Recon:IAMUser-UserPermissions');
  });
});

describe('Security Hub: samples, in every form the integration has written them', () => {
  const withFields = (fields: Record<string, string>) =>
    oneFinding((f) => {
      f.ProductFields = { ...f.ProductFields, ...fields };
    });

  it.each([
    {
      form: 'aws/guardduty/service/additionalInfo/sample',
      fields: { 'aws/guardduty/service/additionalInfo/sample': 'true' },
      sample: true,
    },
    { form: 'a bare "sample" field', fields: { sample: 'true' }, sample: true },
    { form: 'additionalInfo as JSON with sample true', fields: { additionalInfo: '{"sample":true}' }, sample: true },
    { form: 'additionalInfo as JSON with sample "true" (a string)', fields: { additionalInfo: '{"sample":"true"}' }, sample: false },
    { form: 'additionalInfo as JSON without sample', fields: { additionalInfo: '{"value":"x"}' }, sample: false },
    { form: 'additionalInfo that is JSON null', fields: { additionalInfo: 'null' }, sample: false },
    { form: 'additionalInfo that is JSON true', fields: { additionalInfo: 'true' }, sample: false },
    { form: 'additionalInfo that is not JSON', fields: { additionalInfo: '{sample: true' }, sample: false },
    {
      form: 'a sample field that is not "true"',
      fields: { 'aws/guardduty/service/additionalInfo/sample': 'false', sample: 'yes' },
      sample: false,
    },
    { form: 'no sample field at all', fields: {}, sample: false },
  ] as { form: string; fields: Record<string, string>; sample: boolean }[])('reads $form as sample: $sample', ({ fields, sample }) => {
    // A sample keeps GuardDuty's placeholder key id, which is not a key IAM could issue: it is still an incident.
    expect(only(withFields(fields))?.sample).toBe(sample);
  });
});

describe('Security Hub: only GuardDuty, by its exact product and finding ARNs', () => {
  it.each([
    'xarn:aws:securityhub:eu-west-1::product/aws/guardduty',
    'arn:aws:securityhub:eu-west-1::product/aws/guardduty-lookalike',
    'arn:aws0:securityhub:eu-west-1::product/aws/guardduty',
  ])('ignores a finding whose product is %s', (productArn) => {
    expect(oneFinding((f) => (f.ProductArn = productArn))).toMatchObject({ kind: 'ignored', reason: 'not-a-guardduty-finding' });
  });

  it('accepts GuardDuty in the other partitions', () => {
    expect(only(oneFinding((f) => (f.ProductArn = 'arn:aws-us-gov:securityhub:us-gov-west-1::product/aws/guardduty')))).toBeDefined();
  });

  it.each([
    'x-arn:aws:guardduty:eu-west-1:111122223333:detector/0f1e/finding/5c4d3e2f',
    'arn:aws:guardduty:eu-west-1:111122223333:detector/0f1e/finding/5c4d3e2f/extra',
    'arn:aws0:guardduty:eu-west-1:111122223333:detector/0f1e/finding/5c4d3e2f',
  ])('keeps an Id that is not exactly a GuardDuty finding ARN as its own incident id: %s', (id) => {
    const incident = only(oneFinding((f) => (f.Id = id)));

    expect(incident?.id).toBe(`security-hub:111122223333:${id}`);
    expect(incident?.origin).toEqual({ findingId: id, eventId: expect.any(String) });
  });
});

describe('Security Hub: the rest of the edges', () => {
  it('reads the label when no score is usable', () => {
    const labelled = (severity: object) =>
      only(
        oneFinding((f) => {
          delete f.FindingProviderFields.Severity;
          f.Severity = severity;
        }),
      )?.severity;
    expect(labelled({ Label: 'HIGH', Normalized: -5 })).toBe(8);
    expect(labelled({ Label: 'LOW' })).toBe(2);
    expect(labelled({ Label: 'MEDIUM' })).toBe(5);
    expect(labelled({ Label: 'INFORMATIONAL', Normalized: 101 })).toBe(0);
  });
});
