import * as z from 'zod';
import type { StateSettings } from '../state/dynamoStateStore';

const flagOf = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0', ''])
    .default(fallback)
    .transform((v) => (v === '' ? fallback === 'true' : v === 'true' || v === '1'));
const flag = flagOf('false');

const number = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const ACCOUNT_ID = /^\d{12}$/;

/** The deployment's settings, read from the Lambda environment (serverless.yml) once, at cold start. */
export const Config = z
  .object({
    KEYSTOP_ALERT_TOPIC_ARN: z.string().startsWith('arn:', 'must be the ARN of the SNS topic alerts go to'),
    KEYSTOP_DRY_RUN: flag,
    KEYSTOP_EXEMPT_PRINCIPALS: list,
    /** `key=value`; empty turns tag exemption off. */
    KEYSTOP_EXEMPT_TAG: z.string().default('keystop:exempt=true'),
    /** Comma-separated access key ids created only as bait: any API call made with one is a compromise. */
    KEYSTOP_HONEY_KEYS: list,
    /** The DynamoDB table for de-duplication and the blast-radius breaker. */
    KEYSTOP_STATE_TABLE: z.string().min(1, 'must name the DynamoDB state table'),
    KEYSTOP_DEDUP_WINDOW_MINUTES: z.coerce.number().int().positive().default(24 * 60),
    KEYSTOP_BREAKER_LIMIT: z.coerce.number().int().positive().default(10),
    KEYSTOP_BREAKER_WINDOW_MINUTES: z.coerce.number().int().positive().default(60),
    /** https subscribers (AWS Chatbot) get Chatbot's custom-notification format instead of the JSON document. */
    KEYSTOP_CHATBOT_FORMAT: flag,
    /** The EventBridge bus audit events go to. */
    KEYSTOP_AUDIT_BUS: z.string().min(1).default('default'),
    /** Look up what the key did in CloudTrail after containment. */
    KEYSTOP_ACTIVITY_LOOKUP: flagOf('true'),
    KEYSTOP_ACTIVITY_WINDOW_HOURS: number(24, 1, 2160),
    /** Empty: the incident's region and us-east-1 (where IAM and STS calls are recorded). */
    KEYSTOP_ACTIVITY_REGIONS: list,
    KEYSTOP_ACTIVITY_MAX_PAGES: number(10, 1, 100),
    KEYSTOP_ACTIVITY_TIME_LIMIT_MS: number(10_000, 100, 600_000),
    /** How long the first alert waits for the lookup before going out without it (the activity then follows). */
    KEYSTOP_ACTIVITY_INLINE_WAIT_MS: number(3_000, 0, 600_000),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    /** Set only to point the SDK at a local emulator; unset in AWS. */
    AWS_ENDPOINT_URL: z.url().optional(),
    /** The account the function runs in (serverless.yml: AWS::AccountId), known without an STS call at cold start. */
    KEYSTOP_ACCOUNT_ID: z.string().regex(ACCOUNT_ID, 'must be the 12-digit id of the account Keystop runs in'),
    /** The role Keystop assumes in member accounts; empty: a single-account deployment. */
    KEYSTOP_MEMBER_ROLE_NAME: z.string().regex(/^[\w+=,.@-]{0,64}$/, 'must be an IAM role name').default(''),
    /** Required by the member role's trust policy (sts:ExternalId). */
    KEYSTOP_EXTERNAL_ID: z.string().regex(/^[\w+=,.@:/-]{0,1224}$/, 'may use only the characters STS allows').default(''),
    /** Member account ids Keystop may act in, comma-separated; `*`: any account whose member role trusts Keystop. */
    KEYSTOP_MEMBER_ACCOUNTS: list.pipe(
      z.array(z.string().regex(/^(\d{12}|\*)$/, 'each member account must be a 12-digit account id, or *')),
    ),
    /**
     * The organisation (o-…) whose accounts Keystop may reach; the member role trusts only principals of it
     * (aws:PrincipalOrgID) and the functions assume only roles in it (aws:ResourceOrgID). Required for `*`.
     */
    KEYSTOP_ORGANIZATION_ID: z.string().regex(/^(o-[a-z0-9]{10,32})?$/, 'must be an organisation id, o-…').default(''),
    /** Keystop's own function roles (serverless.yml names them): never contained, whatever a finding says. */
    KEYSTOP_OWN_ROLE_NAMES: list,
  })
  .refine((c) => !c.KEYSTOP_MEMBER_ACCOUNTS.includes('*') || c.KEYSTOP_ORGANIZATION_ID !== '', {
    message:
      "'*' (every account whose member role trusts Keystop) needs KEYSTOP_ORGANIZATION_ID: without it an account named in an event could be any account",
    path: ['KEYSTOP_MEMBER_ACCOUNTS'],
  })
  .refine((c) => c.KEYSTOP_MEMBER_ACCOUNTS.length === 0 || (c.KEYSTOP_MEMBER_ROLE_NAME !== '' && c.KEYSTOP_EXTERNAL_ID.length >= 2), {
    message: 'member accounts need KEYSTOP_MEMBER_ROLE_NAME and KEYSTOP_EXTERNAL_ID (2 characters or more)',
    path: ['KEYSTOP_MEMBER_ACCOUNTS'],
  });
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
