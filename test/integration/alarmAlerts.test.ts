import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { alarmPublisherDeps } from '../../src/aws/alarmPublisherDeps';
import { createAlertSink } from '../../src/local/createAlertSink';
import { localClients } from '../../src/local/localClients';
import { AlertDocument } from '../../src/report/document/AlertDocument';
import { publishAlarm } from '../../src/report/notify/publishAlarm';
import { AlarmStateChangeEvent } from '../../src/sources/AlarmStateChangeEvent';
import { parseEvent } from '../../src/sources/parseEvent';
import { awsEndpoint, uniqueName } from '../support/localAws';

/** An alarm state change as EventBridge delivers it (CloudWatch's event, shape as documented). */
function stateChange(alarmName: string, value: string, previous: string) {
  return {
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time: '2026-11-30T13:02:03Z',
    region: 'us-east-1',
    resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
    detail: {
      alarmName,
      state: {
        value,
        reason: 'Threshold Crossed: 1 datapoint [1.0 (30/11/26 13:01:00)] was greater than the threshold (0.0).',
        timestamp: '2026-11-30T13:02:03.000+0000',
      },
      previousState: {
        value: previous,
        reason: 'Threshold Crossed: no datapoints were received.',
        timestamp: '2026-11-29T09:00:00.000+0000',
      },
      configuration: {
        description: 'A containment step failed; a compromised credential may still be active.',
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: { namespace: 'Keystop', name: 'ContainmentsFailed', dimensions: { service: 'keystop', Stage: 'prod' } },
              period: 60,
              stat: 'Sum',
            },
            returnData: true,
          },
        ],
      },
    },
  };
}

async function alarmTopic() {
  const clients = localClients(awsEndpoint());
  // The on-call pager subscribes to failures only; the audit queue to responses only: the usual filter policies.
  const pager = await createAlertSink(clients, { name: uniqueName('keystop-alarms'), filterPolicy: { outcome: ['failed'] } });
  const responsesOnly = await createAlertSink(clients, {
    topicArn: pager.topicArn,
    name: uniqueName('responses'),
    filterPolicy: { alertType: ['response'] },
  });
  const everything = await createAlertSink(clients, { topicArn: pager.topicArn, name: uniqueName('everything') });
  const deps = alarmPublisherDeps(
    { KEYSTOP_ALERT_TOPIC_ARN: pager.topicArn },
    { sns: clients.sns, logger: new Logger({ serviceName: 'keystop-test', logLevel: 'SILENT' }) },
  );
  return { pager, responsesOnly, everything, deps };
}

describe('Alarm publisher: alarm state changes reach subscribers as alerts (SNS → SQS on the emulator)', () => {
  it('an alarm going off reaches the subscribers of failures, with outcome, severity and alertType to filter on', async () => {
    const { pager, responsesOnly, deps } = await alarmTopic();
    const event = parseEvent('CloudWatch alarm', AlarmStateChangeEvent, stateChange('keystop-prod-containment-failed', 'ALARM', 'OK'));

    const result = await publishAlarm(event, deps);

    expect(result).toBe('published');
    const [alert, ...others] = await pager.drain();
    expect(others).toEqual([]);
    expect(alert!.attributes).toEqual({
      outcome: 'failed',
      severity: 'CRITICAL',
      alertType: 'alarm',
      account: '123456789012',
      source: 'keystop',
    });
    expect(alert!.subject).toBe('Keystop ALARM: keystop-prod-containment-failed');
    expect(AlertDocument.parse(alert!.document)).toMatchObject({ alertType: 'alarm', response: { outcome: 'failed', reason: 'alarm' } });
    expect(alert!.text).toContain('a compromised credential may still be active');
    expect(alert!.text).toContain('Threshold Crossed');
    expect(await responsesOnly.drain()).toEqual([]);
  });

  it('an alarm back to OK is sent as resolved (LOW), which a failures-only subscriber does not get', async () => {
    const { pager, everything, deps } = await alarmTopic();

    await publishAlarm(parseEvent('CloudWatch alarm', AlarmStateChangeEvent, stateChange('keystop-prod-throttles', 'OK', 'ALARM')), deps);

    expect(await pager.drain()).toEqual([]);
    const [resolved] = await everything.drain();
    expect(resolved!.attributes).toMatchObject({ outcome: 'resolved', severity: 'LOW', alertType: 'alarm' });
    expect(resolved!.subject).toBe('Keystop alarm resolved: keystop-prod-throttles');
  });

  it('a new alarm settling into OK tells nobody anything', async () => {
    const { everything, deps } = await alarmTopic();

    const result = await publishAlarm(
      parseEvent('CloudWatch alarm', AlarmStateChangeEvent, stateChange('keystop-prod-function-errors', 'OK', 'INSUFFICIENT_DATA')),
      deps,
    );

    expect(result).toBe('ignored');
    expect(await everything.drain()).toEqual([]);
  });
});
