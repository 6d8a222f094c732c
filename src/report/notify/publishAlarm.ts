import type { Logger } from '@aws-lambda-powertools/logger';
import type { AlarmStateChangeEvent } from '../../sources/AlarmStateChangeEvent';
import type { Notifier } from './Alert';
import { formatAlarmAlert } from './formatAlarmAlert';

export interface AlarmPublisherDeps {
  notifier: Notifier;
  logger: Logger;
}

/**
 * Tells the alert topic's subscribers that one of Keystop's alarms went off or recovered, as an alert like every
 * other (filterable attributes, JSON document, email text). A failed publish throws: Lambda retries the event.
 */
export async function publishAlarm(event: AlarmStateChangeEvent, deps: AlarmPublisherDeps): Promise<'published' | 'ignored'> {
  const { alarmName, state, previousState } = event.detail;
  const alert = formatAlarmAlert(event);
  if (alert === undefined) {
    deps.logger.info('alarm state change nobody needs to hear about', { alarmName, state: state.value, previous: previousState?.value });
    return 'ignored';
  }
  await deps.notifier.publish(alert);
  deps.logger.info('alarm alert published', { alarmName, state: state.value, severity: alert.attributes.severity });
  return 'published';
}
