import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Alert, Notifier } from './Alert';

/** A Notifier that publishes to one SNS topic, with attributes for subscription filter policies. */
export function snsNotifier(sns: SNSClient, topicArn: string): Notifier {
  return {
    destination: topicArn,
    async publish(alert: Alert) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: alert.subject,
          Message: alert.text,
          MessageAttributes: Object.fromEntries(
            Object.entries(alert.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
          ),
        }),
      );
    },
  };
}
