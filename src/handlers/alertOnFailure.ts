import type { MiddlewareObj } from '@middy/core';
import { IncompleteResponseError, isAnnounced, MalformedEventError, messageOf, NotificationFailedError } from '../domain/errors';
import type { Alert } from '../report/notify/Alert';
import { formatFailureAlert, formatMalformedEventAlert } from '../report/notify/formatFailureAlert';
import type { Deps } from '../respond/Deps';

/**
 * Every failure gets a clear log line; failures nobody has been told about yet get an alert. The error is always
 * rethrown, so Lambda retries the event and finally hands it, intact, to the on-failure destination.
 */
export function alertOnFailure(deps: Pick<Deps, 'notifier' | 'logger'>): MiddlewareObj {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof MalformedEventError) {
        // No AWS call to act on a malformed event: it is kept by the failure destination. One that AWS sent may be a
        // compromise report in a shape Keystop does not know yet, so people are told now, in the alert channel.
        deps.logger.error('malformed event: no action taken; the event goes to the failure destination', {
          error: messageOf(error),
        });
        const source = (request.event as { source?: unknown } | null)?.source;
        if (typeof source === 'string' && source.startsWith('aws.')) {
          await publish(formatMalformedEventAlert(source, error.problems, request.context?.awsRequestId ?? 'unknown'));
        }
        return;
      }
      // Failures responders were told about (a FAILED alert), that belong to another invocation, or whose alert
      // could not be sent anyway, need no second message; anything else gets one.
      const untold =
        error instanceof IncompleteResponseError
          ? error.failures.filter((failure) => !isAnnounced(failure) && !(failure instanceof NotificationFailedError))
          : [error];
      if (error instanceof IncompleteResponseError) {
        deps.logger.error('response incomplete: the event will be retried', { error: messageOf(error) });
      }
      if (untold.length === 0) return;
      deps.logger.error('unexpected failure while responding to an event', { error });
      await publish(formatFailureAlert(untold.map(messageOf).join(' | '), request.context?.awsRequestId ?? 'unknown'));
    },
  };

  async function publish(alert: Alert): Promise<void> {
    try {
      await deps.notifier.publish(alert);
    } catch (publishError) {
      deps.logger.error('could not publish the failure alert either', { error: messageOf(publishError) });
    }
  }
}
