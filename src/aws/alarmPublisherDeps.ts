import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AlarmPublisherDeps } from '../report/notify/publishAlarm';
import { snsNotifier } from '../report/notify/snsNotifier';
import * as z from '../zod';
import { traceAwsCalls } from './traceAwsCalls';

/** The alarm publisher's settings: only the topic, and the chat format switch the responders share. */
const AlarmPublisherConfig = z.object({
  KEYSTOP_ALERT_TOPIC_ARN: z.string().check(z.startsWith('arn:', 'must be the ARN of the SNS topic alerts go to')),
  KEYSTOP_CHATBOT_FORMAT: z._default(z.enum(['true', 'false', '']), 'false'),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  AWS_ENDPOINT_URL: z.optional(z.url()),
});

/**
 * Just an SNS client and a logger: the alarm publisher has no business with IAM, state or CloudTrail. Tests pass
 * their own client (the emulator's).
 */
export function alarmPublisherDeps(env: NodeJS.ProcessEnv, given?: { sns: SNSClient; logger: Logger }): AlarmPublisherDeps {
  const parsed = AlarmPublisherConfig.safeParse(env);
  if (!parsed.success) throw new Error(`Keystop's alarm publisher is misconfigured: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const sns =
    given?.sns ??
    traceAwsCalls(
      new SNSClient({
        region: config.AWS_REGION,
        maxAttempts: 4,
        retryMode: 'adaptive',
        ...(config.AWS_ENDPOINT_URL ? { endpoint: config.AWS_ENDPOINT_URL } : {}),
      }),
    );
  return {
    notifier: snsNotifier(() => sns, config.KEYSTOP_ALERT_TOPIC_ARN, { chatbot: config.KEYSTOP_CHATBOT_FORMAT === 'true' }),
    logger: given?.logger ?? new Logger({ serviceName: 'keystop' }),
  };
}
