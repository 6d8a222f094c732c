import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { alarmPublisherDeps } from '../aws/alarmPublisherDeps';
import { publishAlarm } from '../report/notify/publishAlarm';
import { AlarmStateChangeEvent } from '../sources/AlarmStateChangeEvent';
import { parseEvent } from '../sources/parseEvent';

const deps = alarmPublisherDeps(process.env);

/**
 * Lambda entry point for Keystop's own CloudWatch alarms changing state (rule: aws.cloudwatch, alarm names
 * keystop-<stage>-*): each one reaches the alert topic as an alert with the usual filterable attributes.
 */
export const handler = middy()
  .use(injectLambdaContext(deps.logger, { resetKeys: true }))
  .handler((event: unknown) => publishAlarm(parseEvent('CloudWatch alarm', AlarmStateChangeEvent, event), deps));
