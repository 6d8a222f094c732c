import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { AlertDocument } from '../report/document/AlertDocument';
import { renderAlertText } from '../report/notify/renderAlertText';

/** An alert as a queue subscriber received it: the JSON document, and the text an email subscriber read. */
export interface DeliveredAlert {
  subject: string;
  /** The email body, rendered from the delivered document by the same pure function the publisher uses. */
  text: string;
  document: AlertDocument;
  attributes: Record<string, string>;
}

export interface AlertSink {
  topicArn: string;
  queueUrl: string;
  /** Takes every alert delivered so far off the queue. */
  drain(): Promise<DeliveredAlert[]>;
}

/** SNS's envelope around a message delivered to an SQS subscriber (not raw delivery). */
interface SnsEnvelope {
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * The alert topic with an SQS queue subscribed to it, on the local emulator: deliveries are real SNS → SQS,
 * so what a subscriber would read can be read back. `filterPolicy` subscribes the queue with that policy.
 */
export async function createAlertSink(
  { sns, sqs }: { sns: SNSClient; sqs: SQSClient },
  {
    name = `keystop-alerts-${randomUUID().slice(0, 8)}`,
    filterPolicy,
    topicArn,
  }: { name?: string; filterPolicy?: object /** Subscribe to this topic instead of creating one. */; topicArn?: string } = {},
): Promise<AlertSink> {
  const TopicArn = topicArn ?? (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-subscriber` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn!,
      ...(filterPolicy ? { Attributes: { FilterPolicy: JSON.stringify(filterPolicy) } } : {}),
    }),
  );
  return {
    topicArn: TopicArn!,
    queueUrl: QueueUrl!,
    async drain() {
      const alerts: DeliveredAlert[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (Messages.length === 0) return alerts;
        for (const message of Messages) {
          const envelope = JSON.parse(message.Body ?? '{}') as SnsEnvelope;
          // The sqs body of a MessageStructure json publish: the versioned alert document, checked against its schema.
          const document = AlertDocument.parse(JSON.parse(envelope.Message));
          alerts.push({
            subject: envelope.Subject ?? '',
            text: renderAlertText(document),
            document,
            attributes: Object.fromEntries(Object.entries(envelope.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value])),
          });
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
    },
  };
}
