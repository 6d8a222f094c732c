import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Config, settingDefault } from '../aws/Config';
import { systemClock } from '../aws/clock';
import { containHeld } from '../respond/containHeld';
import { dynamoStateStore } from '../stores/dynamoStateStore';
import { ORGANISATION } from '../stores/StateStore';
import type { BreakerOptions, BreakerResetOptions } from './breakerCommand';
import { cliDeps, topicArnOf } from './cliDeps';
import { decisionSettings } from './decisionSettings';
import { reportResponses } from './reportResponses';
import { resolveAws } from './resolveAws';
import { UsageError } from './UsageError';

/** The arguments, checked before any AWS call, with the deployment's own schema for the limit and the window. */
function breakerArguments(options: BreakerOptions) {
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    throw new UsageError(`--account ${JSON.stringify(options.account)} is not a 12-digit account id`);
  }
  const limit = Config.shape.KEYSTOP_BREAKER_LIMIT.safeParse(options.limit);
  if (!limit.success)
    throw new UsageError(`--limit (or KEYSTOP_BREAKER_LIMIT) ${JSON.stringify(options.limit)} ${limit.error.issues[0]?.message}`);
  const window = Config.shape.KEYSTOP_BREAKER_WINDOW_MINUTES.safeParse(options.windowMinutes);
  if (!window.success) {
    throw new UsageError(
      `--window-minutes (or KEYSTOP_BREAKER_WINDOW_MINUTES) ${JSON.stringify(options.windowMinutes)} ${window.error.issues[0]?.message}`,
    );
  }
  const orgLimit = Config.shape.KEYSTOP_ORG_BREAKER_LIMIT.safeParse(options.orgLimit);
  if (!orgLimit.success) {
    throw new UsageError(
      `--org-limit (or KEYSTOP_ORG_BREAKER_LIMIT) ${JSON.stringify(options.orgLimit)} ${orgLimit.error.issues[0]?.message}`,
    );
  }
  if (!/^[\w.-]{1,64}$/.test(options.stage)) throw new UsageError(`--stage ${JSON.stringify(options.stage)} is not a stage name`);
  return { limit: limit.data, windowMinutes: window.data, orgLimit: orgLimit.data };
}

/** The state store of a deployed stack, reached with the operator's own credentials. */
export async function operatorStore(
  options: BreakerOptions,
  /**
   * Whether admissions count against the organisation's breaker too: as the deployment does, where it reaches member
   * accounts (KEYSTOP_MEMBER_ACCOUNTS); `breaker status` and `reset` read and reset it in any case.
   */
  organisation = (process.env.KEYSTOP_MEMBER_ACCOUNTS ?? '').trim() !== '',
) {
  const { limit, windowMinutes, orgLimit } = breakerArguments(options);
  const aws = await resolveAws(options);
  const tableName = options.table ?? (process.env.KEYSTOP_STATE_TABLE || `keystop-state-${options.stage}`);
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
      ...(organisation ? { organisationLimit: orgLimit } : {}),
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
  return { store, accountId, limit, windowMinutes, orgLimit, onTable };
}

export async function breakerStatusAction(options: BreakerOptions): Promise<void> {
  const { store, accountId, limit, windowMinutes, orgLimit, onTable } = await operatorStore(options, true);
  const status = await onTable(() => store.breakerStatus(accountId, systemClock.now()));
  const org = await onTable(() => store.breakerStatus(ORGANISATION, systemClock.now()));
  const state = (s: { open: boolean; openedAt?: string }) => (s.open ? `OPEN since ${s.openedAt ?? 'unknown'}` : 'closed');
  process.stdout.write(
    options.json
      ? `${JSON.stringify({
          account: accountId,
          open: status.open,
          openedAt: status.openedAt ?? null,
          count: status.count,
          limit,
          windowMinutes,
          organisation: { open: org.open, openedAt: org.openedAt ?? null, count: org.count, limit: orgLimit, accounts: org.accounts ?? 0 },
        })}\n`
      : `breaker of account ${accountId}: ${state(status)}; ` +
          `${status.count} of ${limit} automatic containments in the last ${windowMinutes} minutes\n` +
          `breaker of the organisation (with member accounts): ${state(org)}; ` +
          `${org.count} of ${orgLimit} automatic containments across ${org.accounts ?? 0} accounts in the last ${windowMinutes} minutes\n`,
  );
}

export async function breakerResetAction(options: BreakerResetOptions): Promise<void> {
  const { store, accountId: own, onTable } = await operatorStore(options, true);
  const accountId = options.org ? ORGANISATION : own;
  // The deployment's settings (environment) for --contain-held, checked before the reset changes anything.
  const settings = options.containHeld ? await decisionSettings({ policies: options.policies }) : undefined;
  if (options.containHeld) topicArnOf(options);
  await onTable(() => store.resetBreaker(accountId));
  const which = options.org ? 'breaker of the organisation' : `breaker of account ${accountId}`;
  if (!options.json) process.stdout.write(`${which}: reset; automatic containment resumes\n`);
  if (!settings) {
    if (options.json) process.stdout.write(`${JSON.stringify({ account: accountId, reset: true })}\n`);
    return;
  }
  const { deps, printedAlerts } = await cliDeps(options, settings);
  await reportResponses(
    async () => {
      const responses = await containHeld(accountId, { ...deps, state: store });
      if (responses.length === 0 && !options.json) {
        process.stdout.write(
          options.org ? 'no held credentials in accounts whose own breaker is closed\n' : 'no held credentials in this account\n',
        );
      }
      return responses;
    },
    { json: options.json, printedAlerts },
  );
}
