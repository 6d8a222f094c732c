import { describe, expect, it } from 'vitest';
import { AlarmStateChangeEvent } from '../../src/events/AlarmStateChangeEvent';
import { optionalText } from '../../src/events/optionalText';
import { parseEvent } from '../../src/events/parseEvent';
import { parseCredentialRecord } from '../../src/state/CredentialRecord';
import * as z from '../../src/zod';

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
