import { describe, expect, it } from 'vitest';
import { parseCredentialRecord } from '../../src/decide/CredentialRecord';
import { parsePolicySet } from '../../src/decide/parsePolicySet';
import { optionalText } from '../../src/domain/optionalText';
import { AlarmStateChangeEvent } from '../../src/sources/AlarmStateChangeEvent';
import { CloudTrailApiCallEvent } from '../../src/sources/CloudTrailApiCallEvent';
import { GuardDutyFindingEvent } from '../../src/sources/GuardDutyFindingEvent';
import { parseEvent } from '../../src/sources/parseEvent';
import { SecurityHubFindingsEvent } from '../../src/sources/SecurityHubFindingsEvent';
import * as z from '../../src/zod';
import { loadFixture } from '../support/loadFixture';

// The schemas are written with zod's mini API (src/zod.ts); these pin what moved from methods to functions: defaults,
// preprocessing, partial shapes, and the English messages the mini API only has because src/zod.ts sets them.
describe('Schemas at the edge, in zod mini', () => {
  const alarm = () => ({
    source: 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    account: '111122223333',
    region: 'us-east-1',
    time: '2026-11-20T09:40:12Z',
    detail: { alarmName: 'keystop-prod-errors', state: { value: 'ALARM' } as Record<string, unknown> },
  });

  it("reads an alarm's missing state reason as empty, in the previous state too, which may lack its value", () => {
    const event = alarm();
    Object.assign(event.detail, { previousState: { timestamp: '2026-11-20T09:35:00Z' } });

    const parsed = AlarmStateChangeEvent.parse(event);

    expect(parsed.detail.state).toEqual({ value: 'ALARM', reason: '' });
    expect(parsed.detail.previousState).toEqual({ reason: '', timestamp: '2026-11-20T09:35:00Z' });
  });

  it('reads "" in an optional text field as absent, and refuses a value that is not text', () => {
    const schema = z.object({ userName: optionalText });

    expect(schema.parse({ userName: '' }).userName).toBeUndefined();
    expect('userName' in schema.parse({})).toBe(false);
    expect(schema.parse({ userName: 'alice' })).toEqual({ userName: 'alice' });
    expect(() => parseEvent('test', schema, { userName: 7 })).toThrow('userName: Invalid input: expected string, received number');
  });

  it("names what is wrong in English, as zod's classic API does", () => {
    const event = alarm();
    event.detail.state.value = 'RED';

    expect(() => parseEvent('CloudWatch', AlarmStateChangeEvent, event)).toThrow(
      'detail.state.value: Invalid option: expected one of "OK"|"ALARM"|"INSUFFICIENT_DATA"',
    );
  });

  it('reads a record from before the state machine without alertSent as not yet alerted', () => {
    const response = {
      outcome: 'contained',
      reason: 'matched',
      explanation: 'contained',
      actions: [],
      incident: { id: 'guardduty:1', accountId: '111122223333' },
    };

    const record = parseCredentialRecord(
      'k',
      { legacy: { incidentId: 'guardduty:1', state: 'responded', response: JSON.stringify(response) } },
      new Date('2026-11-20T10:00:00Z'),
    );

    expect(record).toMatchObject({ achieved: 'contained', alerted: 'none', pendingAlert: { outcome: 'contained' } });
  });
});

// Checks the mini conversion rewrote (refines, regexes, literal unions, "" read as absent) that no other test held; each
// expectation is what the classic schemas at 4be0887 gave for the same input (a differential run found no difference).
describe('Rules the zod mini conversion had to keep', () => {
  it('takes a GuardDuty sample flag only as a boolean or "true"/"false", and a severity only up to 10', () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    event.detail.service.additionalInfo = { sample: 'yes' };
    event.detail.severity = 10.5;

    expect(() => parseEvent('GuardDuty', GuardDutyFindingEvent, event)).toThrow(
      'detail.severity: Too big: expected number to be <=10; detail.service.additionalInfo.sample: Invalid input',
    );
  });

  it('reads a Security Hub WorkflowState of "" as no workflow status at all', () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    delete event.detail.findings[0].Workflow;
    event.detail.findings[0].WorkflowState = '';

    expect(() => parseEvent('Security Hub', SecurityHubFindingsEvent, event)).toThrow(
      'detail.findings.0.Workflow.Status: a finding must carry its workflow status',
    );
  });

  it("takes a CloudTrail event only from an AWS service's source", () => {
    const event = loadFixture('cloudtrail/quarantine-policy-attached.json');
    event.source = 'acme.iam';

    expect(() => parseEvent('CloudTrail', CloudTrailApiCallEvent, event)).toThrow('source: must be an AWS service source (aws.…)');
  });

  it('refuses a policy with a non-kebab-case name, an empty prefix or a numeric pattern without operator/value pairs', () => {
    const policy = { name: 'Contain-All', description: 'd', mode: 'contain', actions: [] };
    const match = { type: [{ prefix: '' }], severity: [{ numeric: ['>=', 7, '<'] }] };

    expect(() => parsePolicySet([{ ...policy, match }], 'policies.json')).toThrow(
      [
        'policies.json is not a valid policy set:',
        '  policy "Contain-All": name "Contain-All": policy names are kebab-case',
        '  policy "Contain-All": match.type[0].prefix "": Too small: expected string to have >=1 characters',
        '  policy "Contain-All": match.severity[0].numeric: numeric takes operator/value pairs, e.g. [">=", 7]',
      ].join('\n'),
    );
  });
});
