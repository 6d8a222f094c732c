import * as z from 'zod';
import type { StateSettings } from '../state/dynamoStateStore';

/**
 * The one description of a deployment's settings. Each entry is a zod schema for the string Lambda's environment
 * holds, registered with how an operator writes it: the serverless.yml param (if any), the allowed form and the
 * default. The function parses its environment with it at cold start, the CLI parses flags and environment with it,
 * the package-time check (deploy/keystopSettings.mjs, `keystop config check`) parses the params with it, and the
 * settings table in docs/settings.md is generated from it (a test keeps the two equal).
 */
export interface SettingInfo {
  /** The serverless.yml param that sets it; absent for what the stack sets itself. */
  param?: string;
  /** What it means, one sentence for the settings table. */
  meaning: string;
  /** The allowed form, as an error message says it: "true or false", "a whole number from 1 to 100"... */
  form: string;
  /** The default as written in serverless.yml; absent when the stack provides the value. */
  default?: string;
}

export const settingInfo = z.registry<SettingInfo>();

/** A setting whose value, when absent, is parsed from its default string, so the default is checked like any value. */
function setting<T extends z.ZodType>(schema: T, info: SettingInfo) {
  const withDefault = info.default === undefined ? schema : schema.optional().transform((v) => v ?? schema.parse(info.default));
  settingInfo.add(withDefault, info);
  return withDefault as unknown as T;
}

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\s*\d+\s*$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`));

/** Comma-separated; blanks around each item are ignored, empty items dropped. */
const listOf = (item: z.ZodString) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const ACCOUNT_ID = /^\d{12}$/;
/** Honey keys are long-term keys: AKIA and 16 upper-case letters or digits (AWS issues base32; IAM documents alphanumerics). */
export const HONEY_KEY = /^AKIA[A-Z0-9]{16}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The deployment's settings, read from the Lambda environment (serverless.yml) once, at cold start. */
export const Config = z
  .object({
    KEYSTOP_ALERT_TOPIC_ARN: setting(z.string().regex(/^arn:aws[a-z-]*:sns:/, 'must be the ARN of the SNS topic alerts go to'), {
      meaning: 'where alerts go (the stack sets its own topic)',
      form: 'an SNS topic ARN',
    }),
    KEYSTOP_DRY_RUN: setting(flag, { param: 'dryRun', meaning: 'report what would be done, change nothing', form: 'true or false', default: 'false' }),
    KEYSTOP_EXEMPT_PRINCIPALS: setting(listOf(z.string().regex(/^[\w+=,.@*:/-]+$/, 'each must be a user or role name or an ARN pattern')), {
      param: 'exemptPrincipals',
      meaning: 'user and role names or ARN patterns (`*` matches any run of characters) that are only ever alerted on',
      form: 'comma-separated names or ARN patterns',
      default: '',
    }),
    KEYSTOP_EXEMPT_TAG: setting(
      z
        .string()
        .regex(/^(|\s*[^=\s][^=]*=[^=]*[^=\s]\s*)$/, "must be key=value, or '' to turn tag exemption off")
        .transform((v) => v.trim()),
      {
        param: 'exemptTag',
        meaning: "a tag on a user or role (read live from IAM) that exempts it from containment; '' turns this off",
        form: "key=value, or ''",
        default: 'keystop:exempt=true',
      },
    ),
    KEYSTOP_HONEY_KEYS: setting(listOf(z.string().regex(HONEY_KEY, 'each honey key must be an AKIA… access key id (AKIA and 16 upper-case letters or digits)')), {
      param: 'honeyKeys',
      meaning: 'access key ids created only as bait: any API call made with one is contained; empty: no honey-key rule',
      form: 'comma-separated AKIA… key ids',
      default: '',
    }),
    KEYSTOP_STATE_TABLE: setting(z.string().min(1, 'must name the DynamoDB state table'), {
      meaning: 'the DynamoDB table (TTL, on demand) for de-duplication and the breaker (the stack sets its own)',
      form: 'a table name',
    }),
    KEYSTOP_DEDUP_WINDOW_MINUTES: setting(wholeNumber(1, 525_600), {
      param: 'dedupWindowMinutes',
      meaning: 'how long a credential already handled makes later reports of it duplicates',
      form: 'a whole number of minutes from 1 to 525600',
      default: '1440',
    }),
    KEYSTOP_BREAKER_LIMIT: setting(wholeNumber(1, 10_000), {
      param: 'breakerLimit',
      meaning: 'at most this many automatic containments per account…',
      form: 'a whole number from 1 to 10000',
      default: '10',
    }),
    KEYSTOP_BREAKER_WINDOW_MINUTES: setting(wholeNumber(1, 525_600), {
      param: 'breakerWindowMinutes',
      meaning: '…per rolling window of this length',
      form: 'a whole number of minutes from 1 to 525600',
      default: '60',
    }),
    KEYSTOP_CHATBOT_FORMAT: setting(flag, {
      param: 'chatbotFormat',
      meaning: "https subscribers (AWS Chatbot) get Chatbot's custom-notification format, so Slack and Teams render the alert",
      form: 'true or false',
      default: 'false',
    }),
    KEYSTOP_AUDIT_BUS: setting(z.string().regex(/^[\w.\-/]{1,256}$/, 'must be an EventBridge bus name'), {
      param: 'auditBus',
      meaning: 'the EventBridge bus (name, this account and region) that gets one audit event per response',
      form: 'an EventBridge bus name',
      default: 'default',
    }),
    KEYSTOP_ACTIVITY_LOOKUP: setting(flag, {
      param: 'activityLookup',
      meaning: 'look up what the key did in CloudTrail after containment',
      form: 'true or false',
      default: 'true',
    }),
    KEYSTOP_ACTIVITY_WINDOW_HOURS: setting(wholeNumber(1, 2160), {
      param: 'activityWindowHours',
      meaning: 'how far back the lookup goes',
      form: 'a whole number of hours from 1 to 2160',
      default: '24',
    }),
    KEYSTOP_ACTIVITY_REGIONS: setting(listOf(z.string().regex(REGION, 'each must be a region, e.g. eu-west-1')), {
      param: 'activityRegions',
      meaning: 'regions to search; empty: the incident\'s region and `us-east-1` (where IAM and STS calls are recorded)',
      form: 'comma-separated regions',
      default: '',
    }),
    KEYSTOP_ACTIVITY_MAX_PAGES: setting(wholeNumber(1, 100), {
      param: 'activityMaxPages',
      meaning: 'LookupEvents pages (50 events each) read per region at most',
      form: 'a whole number from 1 to 100',
      default: '10',
    }),
    KEYSTOP_ACTIVITY_TIME_LIMIT_MS: setting(wholeNumber(100, 600_000), {
      param: 'activityTimeLimitMs',
      meaning: 'the whole lookup stops here and reports what it read as partial',
      form: 'a whole number of milliseconds from 100 to 600000',
      default: '10000',
    }),
    KEYSTOP_ACTIVITY_INLINE_WAIT_MS: setting(wholeNumber(0, 600_000), {
      param: 'activityInlineWaitMs',
      meaning: 'how long the first alert waits for the lookup; a slower lookup follows as a second message',
      form: 'a whole number of milliseconds from 0 to 600000',
      default: '3000',
    }),
    AWS_REGION: setting(z.string().regex(REGION, 'must be a region, e.g. us-east-1'), {
      meaning: 'the region the function runs in (set by Lambda)',
      form: 'a region',
      default: 'us-east-1',
    }),
    /** Set only to point the SDK at a local emulator; unset in AWS. */
    AWS_ENDPOINT_URL: z.url().optional(),
    KEYSTOP_ACCOUNT_ID: setting(z.string().regex(ACCOUNT_ID, 'must be the 12-digit id of the account Keystop runs in'), {
      meaning: 'the account Keystop runs in, set at deploy time (`AWS::AccountId`, no STS call at cold start)',
      form: 'a 12-digit account id',
    }),
    KEYSTOP_MEMBER_ROLE_NAME: setting(z.string().regex(/^[\w+=,.@-]{0,64}$/, 'must be an IAM role name'), {
      param: 'memberRoleName',
      meaning: 'organisation: the role Keystop assumes in member accounts (`deploy/member-role.yml`, e.g. `KeystopMember`); empty: single account, and the roles get no `sts:AssumeRole`',
      form: 'an IAM role name, or empty',
      default: '',
    }),
    KEYSTOP_EXTERNAL_ID: setting(z.string().regex(/^([\w+=,.@:/-]{2,1224})?$/, 'must be 2 to 1224 of the characters STS allows ([A-Za-z0-9+=,.@:/_-])'), {
      param: 'externalId',
      meaning: "the ExternalId the member role's trust policy requires",
      form: '2–1224 characters of [A-Za-z0-9+=,.@:/_-], or empty',
      default: '',
    }),
    KEYSTOP_MEMBER_ACCOUNTS: setting(listOf(z.string().regex(/^(\d{12}|\*)$/, 'each member account must be a 12-digit account id, or *')), {
      param: 'memberAccounts',
      meaning: 'member account ids Keystop may act in, or `*` for every account whose member role trusts it; others get `account-not-allowed`',
      form: 'comma-separated 12-digit account ids, or *',
      default: '',
    }),
    KEYSTOP_ORGANIZATION_ID: setting(z.string().regex(/^(o-[a-z0-9]{10,32})?$/, 'must be an organisation id, o-…'), {
      param: 'organizationId',
      meaning: 'the organisation (o-…) whose accounts Keystop may reach: the member role trusts only its principals (aws:PrincipalOrgID) and the functions assume only roles in it (aws:ResourceOrgID); required with memberAccounts `*`',
      form: 'an organisation id o-…, or empty',
      default: '',
    }),
    KEYSTOP_OWN_ROLE_NAMES: setting(listOf(z.string().regex(/^[\w+=,.@-]{1,64}$/, 'each must be an IAM role name')), {
      meaning: "Keystop's own function roles (the stack names them): never contained, whatever a finding says",
      form: 'comma-separated role names',
      default: '',
    }),
  })
  .refine((c) => !c.KEYSTOP_MEMBER_ACCOUNTS.includes('*') || c.KEYSTOP_ORGANIZATION_ID !== '', {
    message:
      "'*' (every account whose member role trusts Keystop) needs KEYSTOP_ORGANIZATION_ID (the param organizationId): without it an account named in an event could be any account",
    path: ['KEYSTOP_MEMBER_ACCOUNTS'],
  })
  .refine((c) => c.KEYSTOP_MEMBER_ACCOUNTS.length === 0 || (c.KEYSTOP_MEMBER_ROLE_NAME !== '' && c.KEYSTOP_EXTERNAL_ID.length >= 2), {
    message: 'member accounts need a member role and its ExternalId (memberRoleName and externalId; KEYSTOP_MEMBER_ROLE_NAME and KEYSTOP_EXTERNAL_ID in the environment)',
    path: ['KEYSTOP_MEMBER_ACCOUNTS'],
  });
export type Config = z.infer<typeof Config>;

/** Settings that only shape the stack at package time: no function reads them from its environment. */
export const DeployParams = z.object({
  maxRetries: setting(wholeNumber(0, 2), {
    param: 'maxRetries',
    meaning: 'Lambda retries of a failed event before it goes to the failure queue',
    form: 'a whole number from 0 to 2 (Lambda\'s limit)',
    default: '2',
  }),
  policiesFile: setting(z.string().regex(/\.json$/, 'must name a .json policy file'), {
    param: 'policiesFile',
    meaning: 'the response policies, bundled into every function at package time (relative to serverless.yml); checked like `keystop policies validate`',
    form: 'a path to a JSON policy file',
    default: './src/policies/policies.json',
  }),
});
export type DeployParams = z.infer<typeof DeployParams>;

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
