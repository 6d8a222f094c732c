import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Config, settingDefault } from '../../aws/Config';
import { systemClock } from '../../aws/clock';
import { dynamoStateStore } from '../../stores/dynamoStateStore';
import { type BreakerSettingsOptions, DEFAULT_STAGE, tableNameOf } from '../options/stackOptions';
import { stageSettings } from '../settings/stageSettings';
import { UsageError } from '../UsageError';
import { resolveAws } from './resolveAws';

/** The arguments, checked before any AWS call, with the deployment's own schema for the limit and the window. */
function breakerArguments(options: BreakerSettingsOptions, file: Record<string, string>) {
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    throw new UsageError(`--account ${JSON.stringify(options.account)} is not a 12-digit account id`);
  }
  // Flags (and their environment variables) over the stage's settings file (checked there) over the defaults.
  const limit = Config.shape.KEYSTOP_BREAKER_LIMIT.safeParse(options.limit ?? file.KEYSTOP_BREAKER_LIMIT);
  if (!limit.success)
    throw new UsageError(`--limit (or KEYSTOP_BREAKER_LIMIT) ${JSON.stringify(options.limit)} ${limit.error.issues[0]?.message}`);
  const window = Config.shape.KEYSTOP_BREAKER_WINDOW_MINUTES.safeParse(options.windowMinutes ?? file.KEYSTOP_BREAKER_WINDOW_MINUTES);
  if (!window.success) {
    throw new UsageError(
      `--window-minutes (or KEYSTOP_BREAKER_WINDOW_MINUTES) ${JSON.stringify(options.windowMinutes)} ${window.error.issues[0]?.message}`,
    );
  }
  const orgLimit = Config.shape.KEYSTOP_ORG_BREAKER_LIMIT.safeParse(options.orgLimit ?? file.KEYSTOP_ORG_BREAKER_LIMIT);
  if (!orgLimit.success) {
    throw new UsageError(
      `--org-limit (or KEYSTOP_ORG_BREAKER_LIMIT) ${JSON.stringify(options.orgLimit)} ${orgLimit.error.issues[0]?.message}`,
    );
  }
  return { limit: limit.data, windowMinutes: window.data, orgLimit: orgLimit.data };
}

/** The state store of a deployed stack, reached with the operator's own credentials. */
export async function operatorStore(
  options: BreakerSettingsOptions,
  /**
   * Whether admissions count against the organisation's breaker too: as the deployment does, where it reaches member
   * accounts (KEYSTOP_MEMBER_ACCOUNTS, from the environment or the stage's settings); `breaker status` and `reset`
   * read and reset it in any case.
   */
  organisation?: boolean,
) {
  const settings = stageSettings(options.stage ?? DEFAULT_STAGE);
  const { limit, windowMinutes, orgLimit } = breakerArguments(options, settings.env);
  const members = process.env.KEYSTOP_MEMBER_ACCOUNTS ?? settings.env.KEYSTOP_MEMBER_ACCOUNTS ?? '';
  const counted = organisation ?? members.trim() !== '';
  const aws = await resolveAws(options);
  const tableName = tableNameOf(options);
  const accountId = options.account ?? (await new STSClient(aws).send(new GetCallerIdentityCommand({}))).Account!;
  // What the operator writes (a release, an approval, --contain-held) is kept as long as the functions keep theirs.
  const dedupWindow = Config.shape.KEYSTOP_DEDUP_WINDOW_MINUTES.safeParse(process.env.KEYSTOP_DEDUP_WINDOW_MINUTES);
  const store = dynamoStateStore(
    new DynamoDBClient(aws),
    {
      tableName,
      dedupWindowMs: (dedupWindow.success ? dedupWindow.data : settingDefault('KEYSTOP_DEDUP_WINDOW_MINUTES')) * 60_000,
      breakerLimit: limit,
      breakerWindowMs: windowMinutes * 60_000,
      ...(counted ? { organisationLimit: orgLimit, shareAccounts: members.trim() !== '' } : {}),
    },
    systemClock.sleep,
  );
  /** A missing table is a wrong stage, region or account: say which table was looked for, and where. */
  const onTable = async <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      if (error instanceof ResourceNotFoundException) {
        throw new UsageError(
          `no state table ${tableName} in ${aws.region} (ResourceNotFoundException): check --stage, --region and the account of your credentials`,
        );
      }
      throw error;
    });
  return { store, accountId, limit, windowMinutes, orgLimit, onTable, settingsSource: settings.source };
}
