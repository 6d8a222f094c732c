import * as z from '../zod';

const AlarmState = z.object({
  value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  reason: z._default(z.string(), ''),
  timestamp: z.optional(z.string()),
});

/**
 * What EventBridge delivers when one of Keystop's CloudWatch alarms changes state (rule: aws.cloudwatch, alarm
 * names starting keystop-<stage>-). Only the fields the alarm alert reads.
 */
export const AlarmStateChangeEvent = z.object({
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  account: z.string(),
  region: z.string(),
  time: z.string(),
  detail: z.object({
    alarmName: z.string().check(z.minLength(1)),
    state: AlarmState,
    previousState: z.optional(z.partial(AlarmState)),
    configuration: z.optional(z.object({ description: z.optional(z.string()) })),
  }),
});
export type AlarmStateChangeEvent = z.infer<typeof AlarmStateChangeEvent>;
