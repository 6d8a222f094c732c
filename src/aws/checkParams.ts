import type * as z from '../zod';
import { Config, type SettingInfo, settingInfo } from './Config';
import { closestName } from './closestName';
import { DeployParams } from './DeployParams';
import type { ParamValue } from './resolveParams';

interface ParamSetting extends SettingInfo {
  param: string;
  /** The environment variable the function reads it from; absent for package-time params. */
  env?: string;
}

/** Every serverless.yml param Keystop takes, in the order of the settings schema. */
export function paramSettings(): ParamSetting[] {
  const fromShape = (shape: Record<string, z.core.$ZodType>, isEnv: boolean) =>
    Object.entries(shape).flatMap(([key, schema]) => {
      const info = settingInfo.get(schema);
      return info?.param ? [{ ...info, param: info.param, ...(isEnv ? { env: key } : {}) }] : [];
    });
  return [...fromShape(Config.shape, true), ...fromShape(DeployParams.shape, false)];
}

/** What the stack itself sets (CloudFormation references): stand-ins, so that only the params are judged. */
const STACK_PROVIDED = {
  KEYSTOP_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:keystop-alerts',
  KEYSTOP_STATE_TABLE: 'keystop-state',
  KEYSTOP_ACCOUNT_ID: '123456789012',
};

/**
 * Pure: every problem with a deployment's params, one line each, naming the param and the allowed form — the same
 * schema the function parses its environment with at cold start, so nothing that passes here stops it there.
 */
export function checkParams(params: Record<string, ParamValue>): string[] {
  const settings = paramSettings();
  const byParam = new Map(settings.map((s) => [s.param, s]));
  const problems = Object.keys(params)
    .filter((name) => !byParam.has(name))
    .map((name) => {
      // A typo gets the setting it most likely meant; anything else the list (docs/settings.md explains each).
      const meant = closestName(name, [...byParam.keys()]);
      return `param ${name} is not a Keystop setting (${meant ? `did you mean ${meant}?` : `known: ${[...byParam.keys()].join(', ')}`})`;
    });

  const env: Record<string, string> = { ...STACK_PROVIDED };
  const deploy: Record<string, string> = {};
  for (const s of settings) {
    if (!(s.param in params)) continue;
    (s.env ? env : deploy)[s.env ?? s.param] = String(params[s.param]);
  }
  const describe = (issue: z.core.$ZodIssue, key: string) => {
    const s = settings.find((candidate) => (candidate.env ?? candidate.param) === key);
    if (!s) return `${key}: ${issue.message}`;
    const raw = s.env ? env[s.env] : deploy[s.param];
    return `param ${s.param}: ${JSON.stringify(raw ?? s.default)} ${issue.message}`;
  };
  for (const [schema, values] of [
    [Config, env],
    [DeployParams, deploy],
  ] as const) {
    const parsed = schema.safeParse(values);
    if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => describe(issue, String(issue.path[0]))));
  }
  return problems;
}

/** The value a list param deploys with: its items trimmed, joined by commas (what bus patterns and splits need). */
export function normalizedListParams(params: Record<string, ParamValue>): Record<string, string> {
  const lists = ['honeyKeys', 'memberAccounts', 'exemptPrincipals', 'activityRegions', 'operatorRoles'];
  return Object.fromEntries(
    lists
      .filter((name) => typeof params[name] === 'string')
      .map((name) => [
        name,
        (params[name] as string)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .join(','),
      ])
      .filter(([name, value]) => value !== params[name!]),
  );
}
