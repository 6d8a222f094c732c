import { describe, expect, it } from 'vitest';
import { NOT_AN_EVENT, unwrapEvents } from '../../src/cli/input/unwrapEvents';
import { loadFixture } from '../support/loadFixture';

const eventsOf = (input: unknown) => {
  const result = unwrapEvents(input);
  if (result.kind !== 'events') throw new Error(`refused: ${result.reason}`);
  return result.events;
};

describe('unwrapEvents: the EventBridge events in what a responder holds', () => {
  it('takes an EventBridge event as it is, and says nothing', () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');

    expect(eventsOf(event)).toEqual([{ event }]);
  });

  it("puts a bare GuardDuty finding (the console's JSON view) in the envelope EventBridge delivers it in", () => {
    const { detail } = loadFixture('guardduty/tor-ip-caller-long-term-key.json');

    const [only, ...more] = eventsOf(detail);

    expect(more).toEqual([]);
    expect(only!.unwrapped).toBe('wrapped a bare GuardDuty finding in its EventBridge envelope');
    expect(only!.event).toEqual({
      version: '0',
      id: `keystop-unwrapped-${detail.id}`,
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: detail.accountId,
      time: detail.updatedAt,
      region: detail.region,
      resources: [],
      detail,
    });
  });

  it("turns aws guardduty get-findings output (PascalCase) into one event per finding, with the event's camelCase fields", () => {
    const output = loadFixture('real/aws-cli-guardduty-get-findings-recon-userpermissions.json');
    output.Findings.push({ ...output.Findings[0], Id: 'second' });

    const events = eventsOf(output);

    expect(events.map((e) => (e.event as any).detail.id)).toEqual(['1ab92989eaf0e742df4a014d5example', 'second']);
    const { detail } = events[0]!.event as any;
    expect(detail.resource.accessKeyDetails).toEqual({
      userName: 'testuser',
      userType: 'IAMUser',
      principalId: 'AIDACKCEVSQ6C2EXAMPLE',
      accessKeyId: 'ASIASZ4SI7REEEXAMPLE',
    });
    expect(detail.service.action.awsApiCallAction.remoteIpDetails.organization.asnOrg).toBe('AMAZON-02');
    expect(events[0]!.unwrapped).toMatch(/one of get-findings output/);
  });

  it('keeps keys that are data, not field names, as they are', () => {
    const [{ event }] = eventsOf({
      Findings: [
        {
          Id: 'f',
          Type: 'Policy:S3/X',
          AccountId: '111122223333',
          Region: 'us-east-1',
          Resource: { ResourceType: 'S3Bucket' },
          Service: { Action: { AwsApiCallAction: { AffectedResources: { 'AWS::S3::Bucket': 'b' } } } },
        },
      ],
    }) as [{ event: any }];

    expect(event.detail.service.action.awsApiCallAction.affectedResources).toEqual({ 'AWS::S3::Bucket': 'b' });
  });

  it('puts a bare ASFF finding, and each finding of securityhub get-findings output, in a "Findings - Imported" event', () => {
    const { detail } = loadFixture('security-hub/two-new-guardduty-key-findings.json');

    const bare = eventsOf(detail.findings[0]);
    const output = eventsOf({ Findings: detail.findings, NextToken: 'x' });

    expect(bare).toHaveLength(1);
    expect(bare[0]!.unwrapped).toBe('wrapped a bare Security Hub (ASFF) finding in its EventBridge envelope');
    expect(bare[0]!.event).toMatchObject({
      source: 'aws.securityhub',
      'detail-type': 'Security Hub Findings - Imported',
      account: detail.findings[0].AwsAccountId,
      detail: { findings: [detail.findings[0]] },
    });
    expect(output.map((e) => (e.event as any).detail.findings)).toEqual(detail.findings.map((f: unknown) => [f]));
  });

  it('puts a bare CloudTrail record, and each record of a log file, in an "AWS API Call via CloudTrail" event', () => {
    const { detail: record } = loadFixture('cloudtrail/honey-key-used.json');

    const [bare] = eventsOf(record);
    const fromFile = eventsOf({ Records: [record, record] });

    expect(bare!.event).toMatchObject({
      source: `aws.${record.eventSource.split('.')[0]}`,
      'detail-type': 'AWS API Call via CloudTrail',
      region: record.awsRegion,
      time: record.eventTime,
      detail: record,
    });
    expect(bare!.unwrapped).toBe('wrapped a bare CloudTrail record in its EventBridge envelope');
    expect(fromFile).toHaveLength(2);
  });

  it("takes the event out of an SNS notification and out of Lambda's failure-destination record", () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');

    const [sns] = eventsOf({ Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', Message: JSON.stringify(event) } }] });
    const [record] = eventsOf({ requestContext: { condition: 'RetriesExhausted' }, requestPayload: event, responsePayload: {} });

    expect(sns).toEqual({ event, unwrapped: 'took the message out of an SNS notification' });
    expect(record).toEqual({ event, unwrapped: "took the event out of Lambda's failure-destination record" });
  });

  it.each([
    ['{}', {}],
    ['[]', []],
    ['null', null],
    ['a number', 42],
    ['a string', 'source,detail-type'],
    ['empty get-findings output', { Findings: [] }],
    ['a Records file with something else in it', { Records: [{ eventSource: 'iam.amazonaws.com' }] }],
    ['an envelope without detail', { source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding' }],
  ])('refuses %s with the one-line reason', (_name, input) => {
    expect(unwrapEvents(input)).toEqual({ kind: 'refused', reason: NOT_AN_EVENT });
  });
});
