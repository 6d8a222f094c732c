import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Command } from 'commander';
import { containHeld } from '../containHeld';
import { dynamoStateStore } from '../state/dynamoStateStore';
import { cliDeps } from './cliDeps';
import { formatResponses } from './formatResponses';

interface BreakerOptions {
  account?: string;
  table?: string;
  stage: string;
  region?: string;
  limit: string;
  windowMinutes: string;
}

/** The state store of a deployed stack, reached with the operator's own credentials. */
async function operatorStore(options: BreakerOptions) {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const accountId = options.account ?? (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!;
  const store = dynamoStateStore(new DynamoDBClient({ region }), {
    tableName: options.table ?? process.env.KEYSTOP_STATE_TABLE ?? `keystop-state-${options.stage}`,
    dedupWindowMs: 0,
    breakerLimit: Number(options.limit),
    breakerWindowMs: Number(options.windowMinutes) * 60_000,
  });
  return { store, accountId };
}

const withStackOptions = (command: Command) =>
  command
    .option('--account <id>', 'the account whose breaker (default: the account of your credentials)')
    .option('--stage <stage>', 'the deployed stage, naming the table keystop-state-<stage>', 'prod')
    .option('--table <name>', 'the state table (default: $KEYSTOP_STATE_TABLE or keystop-state-<stage>)')
    .option('--region <region>', 'the region of the stack (default: $AWS_REGION or us-east-1)')
    .option('--limit <n>', "the deployment's breakerLimit", '10')
    .option('--window-minutes <n>', "the deployment's breakerWindowMinutes", '60');

export function breakerCommand(): Command {
  const command = new Command('breaker').description(
    'The blast-radius breaker: at most N automatic containments per account per window; then alerts only.',
  );
  withStackOptions(command.command('status').description('How many automatic containments the window holds, and whether the breaker is open.'))
    .action(async (options: BreakerOptions) => {
      const { store, accountId } = await operatorStore(options);
      const status = await store.breakerStatus(accountId, new Date());
      process.stdout.write(
        `breaker of account ${accountId}: ${status.open ? `OPEN since ${status.openedAt ?? 'unknown'}` : 'closed'}; ` +
          `${status.count} of ${options.limit} automatic containments in the last ${options.windowMinutes} minutes\n`,
      );
    });
  withStackOptions(command.command('reset').description('Close the breaker: forget the window\'s containments, so automatic containment resumes.'))
    .option('--contain-held', 'then contain, with your credentials, every credential whose containment the breaker held')
    .option('--topic-arn <arn>', 'alert topic for --contain-held (default: $KEYSTOP_ALERT_TOPIC_ARN; without one the alerts are printed)')
    .action(async (options: BreakerOptions & { containHeld?: boolean; topicArn?: string }) => {
      const { store, accountId } = await operatorStore(options);
      await store.resetBreaker(accountId);
      process.stdout.write(`breaker of account ${accountId}: reset; automatic containment resumes\n`);
      if (!options.containHeld) return;
      const { deps } = await cliDeps({ ...options, region: options.region ?? process.env.AWS_REGION });
      const responses = await containHeld(accountId, { ...deps, state: store });
      process.stdout.write(
        responses.length === 0 ? 'no held credentials in this account\n' : `${formatResponses(responses)}\n`,
      );
    });
  return command;
}
