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

describe("Security Hub: Keystop's own note re-fires the event", () => {
  it('is ignored while GuardDuty has not updated the finding since the note, whatever its workflow status', () => {
    const echo = oneFinding((f) => {
      f.Note = { Text: 'Keystop contained it', UpdatedBy: 'keystop', UpdatedAt: '2026-11-24T11:10:30.000Z' };
    });

    expect(echo).toEqual({
      kind: 'ignored',
      reason: 'keystop-own-update',
      detail: expect.stringContaining('re-fired because Keystop noted it at 2026-11-24T11:10:30.000Z'),
    });
  });

  it('is an echo also when the note and the update carry the same time, or the finding no update time', () => {
    const same = oneFinding((f) => {
      f.Note = { Text: 'n', UpdatedBy: 'keystop', UpdatedAt: FINDING_UPDATED };
    });
    const noUpdate = oneFinding((f) => {
      f.Note = { Text: 'n', UpdatedBy: 'keystop', UpdatedAt: '2026-11-24T11:10:30.000Z' };
      delete f.UpdatedAt;
    });

    expect(same).toMatchObject({ kind: 'ignored', reason: 'keystop-own-update' });
    expect(noUpdate).toMatchObject({ kind: 'ignored', reason: 'keystop-own-update' });
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

  it.each([
    { severity: { Label: 'HIGH', Original: '10', Product: 3 }, expected: 10 },
    { severity: { Label: 'HIGH', Original: '0', Product: 3 }, expected: 0 },
    { severity: { Label: 'HIGH', Original: '11', Product: 7 }, expected: 7 },
    { severity: { Label: 'HIGH', Original: '-1', Product: 7 }, expected: 7 },
    { severity: { Label: 'HIGH', Original: 'HIGH', Product: 7 }, expected: 7 },
    { severity: { Label: 'HIGH', Product: 10 }, expected: 10 },
    { severity: { Label: 'HIGH', Product: 0, Normalized: 80 }, expected: 0 },
    { severity: { Label: 'HIGH', Product: 11, Normalized: 80 }, expected: 8 },
    { severity: { Label: 'HIGH', Product: -1, Normalized: 80 }, expected: 8 },
    { severity: { Label: 'HIGH', Normalized: 100 }, expected: 10 },
    { severity: { Label: 'HIGH', Normalized: 0 }, expected: 0 },
    { severity: { Label: 'HIGH', Normalized: 101 }, expected: 8 },
    { severity: { Label: 'CRITICAL' }, expected: 9 },
    { severity: { Label: 'NOT-A-LABEL' }, expected: 0 },
  ])("reads severity $severity as GuardDuty's $expected", ({ severity, expected }) => {
    expect(only(oneFinding((f) => (f.Severity = severity)))?.severity).toBe(expected);
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
  it('says when the echoed note was written', () => {
    const echo = oneFinding((f) => {
      f.Note = { Text: 'n', UpdatedBy: 'keystop', UpdatedAt: '2026-11-24T11:10:30.000Z' };
      f.UpdatedAt = '2026-11-24T11:10:00.000Z';
    });

    expect(echo).toMatchObject({
      detail: expect.stringContaining('noted it at 2026-11-24T11:10:30.000Z; GuardDuty has not updated it since'),
    });
  });

  it('reads the label when no score is usable', () => {
    expect(only(oneFinding((f) => (f.Severity = { Label: 'HIGH', Normalized: -5 })))?.severity).toBe(8);
    expect(only(oneFinding((f) => (f.Severity = { Label: 'LOW' })))?.severity).toBe(2);
    expect(only(oneFinding((f) => (f.Severity = { Label: 'MEDIUM' })))?.severity).toBe(5);
    expect(only(oneFinding((f) => (f.Severity = { Label: 'INFORMATIONAL', Normalized: 101 })))?.severity).toBe(0);
  });
});
