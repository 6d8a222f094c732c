import * as z from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** The deployment's settings, read from the Lambda environment (serverless.yml) once, at cold start. */
export const Config = z.object({
  KEYSTOP_ALERT_TOPIC_ARN: z.string().startsWith('arn:', 'must be the ARN of the SNS topic alerts go to'),
  KEYSTOP_DRY_RUN: flag,
  KEYSTOP_EXEMPT_PRINCIPALS: list,
  /** `key=value`; empty turns tag exemption off. */
  KEYSTOP_EXEMPT_TAG: z.string().default('keystop:exempt=true'),
  /** Comma-separated access key ids created only as bait: any API call made with one is a compromise. */
  KEYSTOP_HONEY_KEYS: list,
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Set only to point the SDK at a local emulator; unset in AWS. */
  AWS_ENDPOINT_URL: z.url().optional(),
});
export type Config = z.infer<typeof Config>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Keystop is misconfigured: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
