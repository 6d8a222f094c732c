import { describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../src/domain/errors';
import { AlarmStateChangeEvent } from '../../src/sources/AlarmStateChangeEvent';
import { CloudTrailApiCallEvent } from '../../src/sources/CloudTrailApiCallEvent';
import { GuardDutyFindingEvent } from '../../src/sources/GuardDutyFindingEvent';
import { HealthEvent } from '../../src/sources/HealthEvent';
import { parseEvent } from '../../src/sources/parseEvent';
import { SecurityHubCustomActionEvent, SecurityHubFindingsEvent } from '../../src/sources/SecurityHubFindingsEvent';
import * as z from '../../src/zod';
import { loadFixture } from '../support/loadFixture';

/** it.each gets the schema's name: vitest formats its arguments, and a zod schema is too large to format. */
const schemas = {
  GuardDuty: GuardDutyFindingEvent,
  'Security Hub': SecurityHubFindingsEvent,
  'Security Hub custom action': SecurityHubCustomActionEvent,
  'AWS Health': HealthEvent,
  CloudTrail: CloudTrailApiCallEvent,
  'CloudWatch alarm': AlarmStateChangeEvent,
} as const;

/** The error a schema gives for an event, or undefined when it takes the event. */
function refusalOf(schema: z.core.$ZodType, event: unknown): MalformedEventError | undefined {
  try {
    parseEvent('test', schema, event);
    return undefined;
  } catch (error) {
    if (error instanceof MalformedEventError) return error;
    throw error;
  }
}

/** zod's issues behind a refusal: what a person reads in the log, where the error's cause is printed too. */
const issuesOf = (error: MalformedEventError | undefined) =>
  (error?.cause as z.core.$ZodError | undefined)?.issues.map(({ code, path, message }) => ({ code, path, message }));

// Each real event is one a public source published (test/fixtures/real/PROVENANCE.md, test/fixtures/cloudwatch/PROVENANCE.md).
describe('Schemas at the edge: the real events they must take', () => {
  it.each([
    ['GuardDuty', 'real/c7n-guardduty-iamuser-tor-sample.json'],
    ['GuardDuty', 'real/c7n-guardduty-ec2-backdoor.json'],
    ['Security Hub custom action', 'real/c7n-securityhub-custom-action-iam-key.json'],
    ['AWS Health', 'real/aws-health-tools-credentials-exposed-readme.json'],
    ['AWS Health', 'real/hmrc-health-credentials-exposed-placeholder.json'],
    ['CloudTrail', 'real/c7n-cloudtrail-root-create-bucket.json'],
    ['CloudWatch alarm', 'cloudwatch/alarm-state-change-single-metric.json'],
    ['CloudWatch alarm', 'cloudwatch/alarm-state-change-metric-math.json'],
  ] as const)('%s takes %s', (source, file) => {
    const schema = schemas[source];
    // The message, not the error: printing a zod error prints the schemas it holds.
    expect(refusalOf(schema, loadFixture(file))?.message).toBeUndefined();
  });

  it("keeps what the alarm alert reads from AWS's published alarm event: name, both states, the description", () => {
    const parsed = AlarmStateChangeEvent.parse(loadFixture('cloudwatch/alarm-state-change-single-metric.json'));

    expect(parsed.detail).toEqual({
      alarmName: 'ServerCpuTooHigh',
      state: {
        value: 'ALARM',
        reason: expect.stringMatching(/^Threshold Crossed: 1 out of the last 1 datapoints \[99\.50160229693434/),
        timestamp: '2019-10-02T17:04:40.989+0000',
      },
      previousState: { value: 'OK', reason: expect.stringMatching(/^Threshold Crossed/), timestamp: '2019-10-01T13:56:40.987+0000' },
      configuration: { description: 'Goes into alarm when server CPU utilization is too high!' },
    });
    expect(AlarmStateChangeEvent.parse(loadFixture('cloudwatch/alarm-state-change-metric-math.json')).detail.previousState?.value).toBe(
      'INSUFFICIENT_DATA',
    );
  });

  it("keeps the custom action's name and findings, and the note a finding carries", () => {
    const event = loadFixture('real/c7n-securityhub-custom-action-iam-key.json');
    event.detail.findings[0].Note = { Text: 'looked at', UpdatedBy: 'jane', UpdatedAt: '2019-07-11T17:50:00Z' };

    const parsed = SecurityHubCustomActionEvent.parse(event);

    expect(parsed.detail.actionName).toBe('Ec2 aws');
    expect(parsed.detail.actionDescription).toBe('This is cool.');
    expect(parsed.detail.findings.map((f) => [f.Id, f.Note])).toEqual([
      [event.detail.findings[0].Id, { Text: 'looked at', UpdatedBy: 'jane', UpdatedAt: '2019-07-11T17:50:00Z' }],
    ]);
  });
});

describe('Schemas at the edge: what they refuse, and the reason they give', () => {
  // The account id goes into ARNs, record keys and the breaker's partition: nothing may come before or after its digits.
  it.each([
    ['GuardDuty', 'guardduty/tor-ip-caller-long-term-key.json', ['detail', 'accountId']],
    ['Security Hub', 'security-hub/two-new-guardduty-key-findings.json', ['detail', 'findings', 0, 'AwsAccountId']],
    ['AWS Health', 'health/exposed-current-shape.json', ['account']],
    ['CloudTrail', 'cloudtrail/quarantine-policy-attached.json', ['account']],
  ] as const)('%s refuses an account id with anything before or after its 12 digits', (source, file, path) => {
    const schema = schemas[source];
    for (const accountId of ['arn:aws:iam::111122223333', '111122223333/../444455556666', '1111222233334']) {
      const event = loadFixture(file);
      let parent: Record<string | number, any> = event;
      for (const step of path.slice(0, -1)) parent = parent[step];
      parent[path.at(-1)!] = accountId;

      expect(issuesOf(refusalOf(schema, event)), accountId).toEqual([
        { code: 'invalid_format', path: [...path], message: 'must be a 12-digit AWS account id' },
      ]);
    }
  });

  it('refuses an AccessKey finding without accessKeyDetails: it would name no principal', () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    delete event.detail.resource.accessKeyDetails;

    expect(issuesOf(refusalOf(GuardDutyFindingEvent, event))).toEqual([
      { code: 'custom', path: ['detail', 'resource', 'accessKeyDetails'], message: 'an AccessKey finding must carry accessKeyDetails' },
    ]);
  });

  it('refuses a Security Hub finding that does not say whether it is new, and a note whose text is not text', () => {
    const noStatus = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    delete noStatus.detail.findings[1].Workflow;
    delete noStatus.detail.findings[1].WorkflowState;
    const badNote = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    badNote.detail.findings[0].Note = { Text: 7, UpdatedBy: 'keystop' };

    expect(issuesOf(refusalOf(SecurityHubFindingsEvent, noStatus))).toEqual([
      { code: 'custom', path: ['detail', 'findings', 1, 'Workflow', 'Status'], message: 'a finding must carry its workflow status' },
    ]);
    expect(issuesOf(refusalOf(SecurityHubFindingsEvent, badNote))?.map((i) => i.path)).toEqual([['detail', 'findings', 0, 'Note', 'Text']]);
  });

  it('refuses AWS\'s quarantine call that names no user, or names it as "", with the reason', () => {
    for (const userName of [undefined, '']) {
      const event = loadFixture('cloudtrail/quarantine-policy-attached.json');
      event.detail.requestParameters.userName = userName;

      expect(issuesOf(refusalOf(CloudTrailApiCallEvent, event))).toEqual([
        {
          code: 'custom',
          path: ['detail', 'requestParameters', 'userName'],
          message: 'AWS attaching its quarantine policy must name the user',
        },
      ]);
    }
  });

  it('refuses a custom action event from another source or of another type, and one whose findings are not findings', () => {
    const foreign = loadFixture('real/c7n-securityhub-custom-action-iam-key.json');
    foreign.source = 'acme.securityhub';
    const imported = loadFixture('real/c7n-securityhub-custom-action-iam-key.json');
    imported['detail-type'] = 'Security Hub Findings - Imported';
    const empty = loadFixture('real/c7n-securityhub-custom-action-iam-key.json');
    empty.detail.findings = [];
    const noName = loadFixture('real/c7n-securityhub-custom-action-iam-key.json');
    noName.detail.actionName = 42;

    expect(issuesOf(refusalOf(SecurityHubCustomActionEvent, foreign))?.map((i) => i.path)).toEqual([['source']]);
    expect(issuesOf(refusalOf(SecurityHubCustomActionEvent, imported))?.map((i) => i.path)).toEqual([['detail-type']]);
    expect(issuesOf(refusalOf(SecurityHubCustomActionEvent, empty))?.map((i) => i.path)).toEqual([['detail', 'findings']]);
    expect(issuesOf(refusalOf(SecurityHubCustomActionEvent, noName))?.map((i) => i.path)).toEqual([['detail', 'actionName']]);
  });

  it("refuses an alarm event that is not CloudWatch's, has no alarm name, or a state CloudWatch does not have", () => {
    const foreign = loadFixture('cloudwatch/alarm-state-change-single-metric.json');
    foreign.source = 'acme.cloudwatch';
    const otherType = loadFixture('cloudwatch/alarm-state-change-single-metric.json');
    otherType['detail-type'] = 'CloudWatch Alarm Configuration Change';
    const unnamed = loadFixture('cloudwatch/alarm-state-change-single-metric.json');
    unnamed.detail.alarmName = '';
    const badDescription = loadFixture('cloudwatch/alarm-state-change-single-metric.json');
    badDescription.detail.configuration.description = ['not', 'text'];

    expect(issuesOf(refusalOf(AlarmStateChangeEvent, foreign))?.map((i) => i.path)).toEqual([['source']]);
    expect(issuesOf(refusalOf(AlarmStateChangeEvent, otherType))?.map((i) => i.path)).toEqual([['detail-type']]);
    expect(issuesOf(refusalOf(AlarmStateChangeEvent, unnamed))?.map((i) => i.path)).toEqual([['detail', 'alarmName']]);
    expect(issuesOf(refusalOf(AlarmStateChangeEvent, badDescription))?.map((i) => i.path)).toEqual([
      ['detail', 'configuration', 'description'],
    ]);
  });
});

describe('parseEvent: a refusal names every bad field, or the event itself', () => {
  it("names the source and each field with its problem, and keeps zod's error as the cause", () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    event.detail.severity = -1;
    delete event.detail.type;

    const error = refusalOf(GuardDutyFindingEvent, event);

    expect(error?.message).toContain('detail.type: Invalid input: expected string, received undefined; detail.severity: Too small');
    expect(error?.cause instanceof z.core.$ZodError).toBe(true);
  });

  it('says "(event)" when the event as a whole is wrong, and not an empty field name', () => {
    for (const event of [null, 'GuardDuty Finding', [1, 2]]) {
      const error = refusalOf(GuardDutyFindingEvent, event);

      expect(error?.message).toMatch(/: \(event\): Invalid input: expected object, received (null|string|array)$/);
    }
  });
});
