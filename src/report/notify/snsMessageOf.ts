import type { Alert } from './Alert';
import { formatChatbotNotification } from './formatChatbotNotification';
import { renderAlertText } from './renderAlertText';

/** SNS refuses a publish whose message, subject and attributes exceed 256 KiB together. */
export const SNS_MESSAGE_LIMIT = 262_144;

export interface SnsFormat {
  /** https subscribers get the AWS Chatbot custom-notification format instead of the alert document. */
  chatbot: boolean;
}

/**
 * Pure: the Publish parameters for an alert, with one body per protocol (MessageStructure json): email and the
 * default get the readable text; queues, functions, webhooks and Firehose get the versioned JSON document (or, for
 * https with the Chatbot switch on, the Chatbot notification). If the whole would exceed SNS's limit, the activity
 * details are dropped from it, with a note saying so, before the publish can fail.
 */
export function snsMessageOf(alert: Alert, format: SnsFormat) {
  const build = (a: Alert) => {
    const json = JSON.stringify(a.document);
    const bodies = {
      default: a.text,
      email: a.text,
      sqs: json,
      lambda: json,
      http: json,
      firehose: json,
      https: format.chatbot ? JSON.stringify(formatChatbotNotification(a.document)) : json,
    };
    return {
      Subject: a.subject,
      MessageStructure: 'json' as const,
      Message: JSON.stringify(bodies),
      MessageAttributes: Object.fromEntries(
        Object.entries(a.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      ),
    };
  };
  const full = build(alert);
  if (sizeOf(full) <= SNS_MESSAGE_LIMIT) return full;
  const document = {
    ...alert.document,
    activity: { status: 'failed' as const, reason: 'the activity summary made the alert larger than SNS allows; see the CloudTrail link' },
  };
  return build({ ...alert, document, text: renderAlertText(document) });
}

export function sizeOf(input: { Subject: string; Message: string; MessageAttributes: Record<string, { StringValue: string }> }): number {
  const attributes = Object.entries(input.MessageAttributes).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.StringValue) + Buffer.byteLength('String'),
    0,
  );
  return Buffer.byteLength(input.Subject) + Buffer.byteLength(input.Message) + attributes;
}
