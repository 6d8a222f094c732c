import { Logger } from '@aws-lambda-powertools/logger';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createDeps } from '../aws/createDeps';
import type { Deps } from '../Deps';
import type { Notifier } from '../notify/Alert';
import { defaultGuardrails, parseExemptTag, type OwnRoles } from '../policies/Guardrails';
import { UsageError } from './UsageError';

export interface CliAwsOptions {
  region?: string;
  topicArn?: string;
  dryRun?: boolean;
  verbose?: boolean;
}

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/** Without a topic the alert is printed: a responder at a terminal still sees exactly what would be sent. */
const printingNotifier: Notifier = {
  destination: 'stdout',
  async publish(alert) {
    process.stdout.write(`── alert (no --topic-arn or KEYSTOP_ALERT_TOPIC_ARN: printed, not sent)\nSubject: ${alert.subject}\n${alert.text}\n`);
  },
};

/**
 * Deps for commands that act on a real account with the caller's own AWS credentials (the SDK's default chain:
 * environment, profile, SSO…), so every call is the responder's, in CloudTrail under their name.
 */
export async function cliDeps(options: CliAwsOptions): Promise<{ deps: Deps; accountId: string; region: string }> {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const topicArn = options.topicArn ?? (process.env.KEYSTOP_ALERT_TOPIC_ARN || undefined);
  if (topicArn !== undefined && !SNS_TOPIC_ARN.test(topicArn)) {
    throw new UsageError(`the alert topic ${JSON.stringify(topicArn)} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`);
  }
  const { Account = 'unknown' } = await new STSClient({ region }).send(new GetCallerIdentityCommand({}));
  const deps = createDeps({
    region,
    topicArn: topicArn ?? 'stdout',
    accountId: Account,
    guardrails: {
      // Your credentials act in your account only: a finding of another account is alerted on, never acted on in
      // the wrong one. Sign in to the owning account to act there.
      accounts: { own: Account, members: [] },
      ...defaultGuardrails,
      dryRun: options.dryRun ?? false,
      exemptTag: parseExemptTag(process.env.KEYSTOP_EXEMPT_TAG ?? 'keystop:exempt=true'),
      ownRoles: ownRolesFromEnv(process.env),
    },
    logger: new Logger({ serviceName: 'keystop-cli', logLevel: options.verbose ? 'INFO' : 'SILENT' }),
    ...(topicArn ? {} : { notifier: printingNotifier }),
  });
  return { deps, accountId: Account, region };
}

/** Keystop's roles as the deployment's environment names them, so a responder's command never contains them either. */
function ownRolesFromEnv(env: NodeJS.ProcessEnv): OwnRoles {
  const names = (env.KEYSTOP_OWN_ROLE_NAMES ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  return { functionRoleNames: names, memberRoleName: env.KEYSTOP_MEMBER_ROLE_NAME || undefined };
}
