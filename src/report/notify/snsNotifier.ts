import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert, Notifier } from './Alert';
import { type SnsFormat, snsMessageOf } from './snsMessageOf';

/**
 * A Notifier that publishes to one SNS topic: per-protocol bodies, attributes for subscription filter policies. The
 * client is asked for at the first publish, which comes after containment: a lazily built one stays out of cold start.
 */
export function snsNotifier(sns: () => SNSClient, topicArn: string, format: SnsFormat = { chatbot: false }): Notifier {
  return {
    destination: topicArn,
    async publish(alert: Alert) {
      await sns().send(new PublishCommand({ TopicArn: topicArn, ...snsMessageOf(alert, format) }));
    },
  };
}
