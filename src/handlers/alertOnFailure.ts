import type { MiddlewareObj } from '@middy/core';
import type { Deps } from '../Deps';
import { ContainmentFailedError, MalformedEventError, messageOf, NotificationFailedError } from '../errors';
import { formatFailureAlert } from '../notify/formatFailureAlert';

/**
 * Every failure gets a clear log line; failures nobody has been told about yet get an alert. The error is always
 * rethrown, so Lambda retries the event and finally hands it, intact, to the on-failure destination.
 */
export function alertOnFailure(deps: Pick<Deps, 'notifier' | 'logger'>): MiddlewareObj {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof MalformedEventError) {
        // No AWS call for a malformed event: it is kept by the failure destination, whose depth alarm tells people.
        deps.logger.error('malformed event: no action taken; the event goes to the failure destination', {
          error: messageOf(error),
        });
        return;
      }
      if (error instanceof ContainmentFailedError || error instanceof NotificationFailedError) {
        deps.logger.error('response incomplete: the event will be retried', { error: messageOf(error) });
        return;
      }
      deps.logger.error('unexpected failure while responding to an event', { error });
      try {
        await deps.notifier.publish(formatFailureAlert(messageOf(error), request.context?.awsRequestId ?? 'unknown'));
      } catch (publishError) {
        deps.logger.error('could not publish the failure alert either', { error: messageOf(publishError) });
      }
    },
  };
}
