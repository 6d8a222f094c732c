import { Logger } from '@aws-lambda-powertools/logger';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createDeps } from '../../aws/createDeps';
import type { Notifier } from '../../report/notify/Alert';
import type { Deps } from '../../respond/Deps';
import type { AwsOptions } from '../options/awsOptions';
import type { DecisionSettings } from '../settings/decisionSettings';
import { UsageError } from '../UsageError';
import { resolveAws } from './resolveAws';

export interface CliAwsOptions extends AwsOptions {
  topicArn?: string;
  verbose?: boolean;
  /** --json: the printed alert is part of the JSON output instead of text. */
  json?: boolean;
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/** Without a topic the alert is printed: a responder at a terminal still sees exactly what would be sent. */
function printingNotifier(printed: unknown[], json: boolean): Notifier {
  return {
    destination: 'stdout',
    async publish(alert) {
      if (json) printed.push({ subject: alert.subject, text: alert.text, document: alert.document, attributes: alert.attributes });
      else
        process.stdout.write(
          `── alert (no --topic-arn or KEYSTOP_ALERT_TOPIC_ARN: printed, not sent)\nSubject: ${alert.subject}\n${alert.text}\n`,
        );
    },
  };
}

/** Checks what can be checked before any AWS call: the topic's form. */
export function topicArnOf(options: Pick<CliAwsOptions, 'topicArn'>): string | undefined {
  const topicArn = options.topicArn ?? (process.env.KEYSTOP_ALERT_TOPIC_ARN || undefined);
  if (topicArn !== undefined && !SNS_TOPIC_ARN.test(topicArn)) {
    throw new UsageError(`the alert topic ${JSON.stringify(topicArn)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`);
  }
  return topicArn;
}

/**
 * Deps for commands that act on a real account with the caller's own AWS credentials (the SDK's default chain:
 * environment, profile, SSO…), so every call is the responder's, in CloudTrail under their name.
 */
export async function cliDeps(
  options: CliAwsOptions,
  settings: DecisionSettings,
): Promise<{ deps: Deps; accountId: string; region: string; printedAlerts: unknown[] }> {
  const topicArn = topicArnOf(options);
  const aws = await resolveAws(options);
  const { Account = 'unknown' } = await new STSClient({ ...aws }).send(new GetCallerIdentityCommand({}));
  const printedAlerts: unknown[] = [];
  const deps = createDeps({
    ...aws,
    topicArn: topicArn ?? 'stdout',
    accountId: Account,
    policies: settings.policies,
    guardrails: {
      ...settings.guardrails,
      // Your credentials act in your account only: a finding of another account is alerted on, never acted on in
      // the wrong one. Sign in to the owning account to act there.
      accounts: { own: Account, members: [] },
    },
    logger: new Logger({ serviceName: 'keystop-cli', logLevel: options.verbose ? 'INFO' : 'SILENT' }),
    ...(topicArn ? {} : { notifier: printingNotifier(printedAlerts, options.json ?? false) }),
  });
  return { deps, accountId: Account, region: aws.region, printedAlerts };
}
