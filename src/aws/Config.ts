import { isTemporaryKey, isTypedAccessKeyId } from '../domain/identifiers';
import type { ActivityLookupSettings } from '../report/activity/lookupKeyActivity';
import type { StateSettings } from '../stores/dynamoStateStore';
import * as z from '../zod';

/**
 * The one description of a deployment's settings. Each entry is a zod schema for the string Lambda's environment
 * holds, registered with how an operator writes it: the serverless.yml param (if any), the allowed form and the
 * default. The function parses its environment with it at cold start, the CLI parses flags and environment with it,
 * the package-time check (deploy/keystopSettings.mjs, `keystop config check`) parses the params with it, and the
 * settings table in docs/settings.md is generated from it with settingDocs.ts (a test keeps the two equal). What each
 * setting means and its allowed form, for people, live there, out of the functions' bundles. Written with zod's mini
 * API, like every schema in src/ (src/zod.ts): every function builds and parses it at each cold start.
 */
export interface SettingInfo {
  /** The serverless.yml param that sets it; absent for what the stack sets itself. */
  param?: string;
  /** The default as written in serverless.yml; absent when the stack provides the value. */
  default?: string;
}

export const settingInfo = z.registry<SettingInfo>();

/** A setting whose value, when absent, is parsed from its default string, so the default is checked like any value. */
export function setting<T extends z.ZodMiniType>(schema: T, info: SettingInfo) {
  // prefault: an absent value is replaced by the default string before the schema parses it (one schema node, not an
  // optional, a transform and a pipe: every function builds ~30 of these at each cold start).
  const withDefault = info.default === undefined ? schema : z.prefault(schema, info.default as z.input<T>);
  settingInfo.add(withDefault, info);
  return withDefault as unknown as T;
}

const flag = z.pipe(
  z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }),
  z.transform((v: 'true' | 'false' | '1' | '0') => v === 'true' || v === '1'),
);

/** A string matching `pattern`; `message` says the allowed form. */
export const text = (pattern: RegExp, message: string) => z.string().check(z.regex(pattern, message));

export const wholeNumber = (min: number, max: number) => {
  const form = `must be a whole number from ${min} to ${max}`;
  return z.pipe(z.pipe(text(/^\s*\d+\s*$/, form), z.transform(Number)), z.number().check(z.minimum(min, form), z.maximum(max, form)));
};

/** Comma-separated; blanks around each item are ignored, empty items dropped. */
export const listOf = (item: z.ZodMiniString<string>) =>
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((v: string) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ),
    z.array(item),
  );

const ACCOUNT_ID = /^\d{12}$/;
/**
 * A user or role ARN, or a pattern of them (`*` in the path or name), in one named account. A bare name or a wildcard
 * account matches whatever anyone with iam:CreateUser or iam:CreateRole in any account names so.
 */
const PRINCIPAL_ARN = text(
  /^arn:(aws[a-z-]*|\*):(iam::\d{12}:(user|role)|sts::\d{12}:assumed-role)\/[\w+=,.@*/-]+$/,
  'each must be a user or role ARN (pattern) in a named account, e.g. arn:aws:iam::111122223333:role/incident-response-*: a bare name or a wildcard account matches principals anyone can create',
);
/** Honey keys are long-term keys (AKIA…), typed by a person: held to the id as AWS issues it (src/domain/identifiers.ts). */
const honeyKey = z
  .string()
  .check(
    z.refine(
      (value: string) => isTypedAccessKeyId(value) && !isTemporaryKey(value),
      'each honey key must be an AKIA… access key id (AKIA and 16 upper-case letters or digits)',
    ),
  );
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const settings = z.object({
  KEYSTOP_ALERT_TOPIC_ARN: setting(text(/^arn:aws[a-z-]*:sns:/, 'must be the ARN of the SNS topic alerts go to'), {}),
  KEYSTOP_DRY_RUN: setting(flag, { param: 'dryRun', default: 'false' }),
  KEYSTOP_EXEMPT_PRINCIPALS: setting(listOf(PRINCIPAL_ARN), {
    param: 'exemptPrincipals',
    default: '',
  }),
  KEYSTOP_EXEMPT_TAG: setting(
    z.pipe(
      text(/^(|\s*[^=\s][^=]*=[^=]*[^=\s]\s*)$/, "must be key=value, or '' to turn tag exemption off"),
      z.transform((v: string) => v.trim()),
    ),
    {
      param: 'exemptTag',
      default: 'keystop:exempt=true',
    },
  ),
  KEYSTOP_HONEY_KEYS: setting(listOf(honeyKey), {
    param: 'honeyKeys',
    default: '',
  }),
  KEYSTOP_RESPONDERS: setting(listOf(PRINCIPAL_ARN), {
    param: 'responders',
    default: '',
  }),
  KEYSTOP_GUARD_WINDOW_DAYS: setting(wholeNumber(1, 365), {
    param: 'guardWindowDays',
    default: '7',
  }),
  KEYSTOP_STATE_TABLE: setting(z.string().check(z.minLength(1, 'must name the DynamoDB state table')), {}),
  KEYSTOP_DEDUP_WINDOW_MINUTES: setting(wholeNumber(1, 525_600), {
    param: 'dedupWindowMinutes',
    default: '1440',
  }),
  KEYSTOP_BREAKER_LIMIT: setting(wholeNumber(1, 10_000), {
    param: 'breakerLimit',
    default: '10',
  }),
  KEYSTOP_BREAKER_WINDOW_MINUTES: setting(wholeNumber(1, 525_600), {
    param: 'breakerWindowMinutes',
    default: '60',
  }),
  KEYSTOP_CHATBOT_FORMAT: setting(flag, {
    param: 'chatbotFormat',
    default: 'false',
  }),
  KEYSTOP_AUDIT_BUS: setting(text(/^[\w.\-/]{1,256}$/, 'must be an EventBridge bus name'), {
    param: 'auditBus',
    default: 'default',
  }),
  KEYSTOP_ACTIVITY_LOOKUP: setting(flag, {
    param: 'activityLookup',
    default: 'true',
  }),
  KEYSTOP_ACTIVITY_WINDOW_HOURS: setting(wholeNumber(1, 2160), {
    param: 'activityWindowHours',
    default: '24',
  }),
  KEYSTOP_ACTIVITY_REGIONS: setting(listOf(text(REGION, 'each must be a region, e.g. eu-west-1')), {
    param: 'activityRegions',
    default: '',
  }),
  KEYSTOP_ACTIVITY_MAX_PAGES: setting(wholeNumber(1, 100), {
    param: 'activityMaxPages',
    default: '10',
  }),
  KEYSTOP_ACTIVITY_TIME_LIMIT_MS: setting(wholeNumber(100, 600_000), {
    param: 'activityTimeLimitMs',
    default: '10000',
  }),
  KEYSTOP_ACTIVITY_INLINE_WAIT_MS: setting(wholeNumber(0, 600_000), {
    param: 'activityInlineWaitMs',
    default: '3000',
  }),
  KEYSTOP_STAGE: setting(text(/^[\w-]{1,64}$/, 'must be a stage name'), {
    default: 'local',
  }),
  // Read by Powertools' logger itself; parsed here so that a typo fails `osls package`, not the first finding.
  POWERTOOLS_LOG_LEVEL: setting(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((v: string) => v.trim().toUpperCase()),
      ),
      z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'], { error: 'must be DEBUG, INFO, WARN or ERROR' }),
    ),
    { param: 'logLevel', default: 'INFO' },
  ),
  AWS_REGION: setting(text(REGION, 'must be a region, e.g. us-east-1'), {
    default: 'us-east-1',
  }),
  /** Set only to point the SDK at a local emulator; unset in AWS. */
  AWS_ENDPOINT_URL: z.optional(z.url()),
  KEYSTOP_ACCOUNT_ID: setting(text(ACCOUNT_ID, 'must be the 12-digit id of the account Keystop runs in'), {}),
  KEYSTOP_MEMBER_ROLE_NAME: setting(text(/^[\w+=,.@-]{0,64}$/, 'must be an IAM role name'), {
    param: 'memberRoleName',
    default: '',
  }),
  KEYSTOP_EXTERNAL_ID: setting(text(/^([\w+=,.@:/-]{2,1224})?$/, 'must be 2 to 1224 of the characters STS allows ([A-Za-z0-9+=,.@:/_-])'), {
    param: 'externalId',
    default: '',
  }),
  KEYSTOP_MEMBER_ACCOUNTS: setting(listOf(text(/^(\d{12}|\*)$/, 'each member account must be a 12-digit account id, or *')), {
    param: 'memberAccounts',
    default: '',
  }),
  KEYSTOP_ORGANIZATION_ID: setting(text(/^(o-[a-z0-9]{10,32})?$/, 'must be an organisation id, o-…'), {
    param: 'organizationId',
    default: '',
  }),
  KEYSTOP_OWN_ROLE_NAMES: setting(listOf(text(/^[\w+=,.@-]{1,64}$/, 'each must be an IAM role name')), {
    default: '',
  }),
});
type Settings = z.output<typeof settings>;

/** The deployment's settings, read from the Lambda environment (serverless.yml) once, at cold start. */
export const Config = settings.check(
  z.refine((c: Settings) => !c.KEYSTOP_MEMBER_ACCOUNTS.includes('*') || c.KEYSTOP_ORGANIZATION_ID !== '', {
    message:
      "'*' (every account whose member role trusts Keystop) needs KEYSTOP_ORGANIZATION_ID (the param organizationId): without it an account named in an event could be any account",
    path: ['KEYSTOP_MEMBER_ACCOUNTS'],
  }),
  z.refine(
    (c: Settings) => c.KEYSTOP_MEMBER_ACCOUNTS.length === 0 || (c.KEYSTOP_MEMBER_ROLE_NAME !== '' && c.KEYSTOP_EXTERNAL_ID.length >= 2),
    {
      message:
        'member accounts need a member role and its ExternalId (memberRoleName and externalId; KEYSTOP_MEMBER_ROLE_NAME and KEYSTOP_EXTERNAL_ID in the environment)',
      path: ['KEYSTOP_MEMBER_ACCOUNTS'],
    },
  ),
);
export type Config = z.infer<typeof Config>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Keystop is misconfigured: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

const MINUTE = 60_000;

export function stateSettings(config: Config): StateSettings {
  return {
    tableName: config.KEYSTOP_STATE_TABLE,
    dedupWindowMs: config.KEYSTOP_DEDUP_WINDOW_MINUTES * MINUTE,
    breakerLimit: config.KEYSTOP_BREAKER_LIMIT,
    breakerWindowMs: config.KEYSTOP_BREAKER_WINDOW_MINUTES * MINUTE,
  };
}

export interface ActivitySettings extends ActivityLookupSettings {
  /** How long the first alert waits for the lookup before going out without it. */
  inlineWaitMs: number;
}

/** A setting's value when a deployment does not set it: its default, parsed by its own schema. */
export function settingDefault<K extends keyof typeof Config.shape>(key: K): Config[K] {
  return Config.shape[key].parse(undefined) as Config[K];
}

/** The de-duplication window and breaker of a deployment that sets neither: the sandbox and tests use these too. */
export function defaultStateSettings(): Omit<StateSettings, 'tableName'> {
  return {
    dedupWindowMs: settingDefault('KEYSTOP_DEDUP_WINDOW_MINUTES') * MINUTE,
    breakerLimit: settingDefault('KEYSTOP_BREAKER_LIMIT'),
    breakerWindowMs: settingDefault('KEYSTOP_BREAKER_WINDOW_MINUTES') * MINUTE,
  };
}

/** The CloudTrail lookup of what a key did, as a deployment that sets nothing has it. */
export function defaultActivitySettings(): ActivitySettings {
  return {
    windowHours: settingDefault('KEYSTOP_ACTIVITY_WINDOW_HOURS'),
    regions: settingDefault('KEYSTOP_ACTIVITY_REGIONS'),
    maxPagesPerRegion: settingDefault('KEYSTOP_ACTIVITY_MAX_PAGES'),
    timeLimitMs: settingDefault('KEYSTOP_ACTIVITY_TIME_LIMIT_MS'),
    inlineWaitMs: settingDefault('KEYSTOP_ACTIVITY_INLINE_WAIT_MS'),
  };
}
