import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { STSClient } from '@aws-sdk/client-sts';
import type { ClientOptions } from '../../aws/createClients';
import type { AwsOptions } from '../options/awsOptions';
import { UsageError } from '../UsageError';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Client options as the AWS CLI would resolve them: the region from --region, then AWS_REGION, AWS_DEFAULT_REGION,
 * then the profile's `region` (the SDK reads it from ~/.aws/config); never a silent default, since a wrong region
 * reads another deployment's table or none.
 */
export async function resolveAws(options: AwsOptions): Promise<ClientOptions & { region: string }> {
  // An empty variable means unset, as for the AWS CLI (the SDK would take AWS_REGION='' for a region).
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ENDPOINT_URL']) {
    if (process.env[name] === '') delete process.env[name];
  }
  const profile = options.profile ?? (process.env.AWS_PROFILE || undefined);
  if (profile !== undefined) await ensureProfileExists(profile);
  let region = options.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined);
  if (region === undefined) {
    region = await new STSClient(profile ? { profile } : {}).config.region().catch(() => undefined);
  }
  if (!region) {
    throw new UsageError(
      `no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or give the profile${profile ? ` ${profile}` : ''} a region`,
    );
  }
  if (!REGION.test(region)) throw new UsageError(`--region ${JSON.stringify(region)} is not an AWS region (e.g. us-east-1)`);
  const endpoint = options.endpointUrl ?? (process.env.AWS_ENDPOINT_URL || undefined);
  if (endpoint !== undefined && !URL.canParse(endpoint)) throw new UsageError(`--endpoint-url ${JSON.stringify(endpoint)} is not a URL`);
  return { region, ...(endpoint ? { endpoint } : {}), ...(profile ? { profile } : {}) };
}

/**
 * A named profile missing from both AWS files is a usage error said before any call: the SDK would otherwise try its
 * whole credential chain and answer "Could not load credentials from any providers". Only section names are read.
 */
async function ensureProfileExists(profile: string): Promise<void> {
  const config = process.env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config');
  const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
  const sections = async (file: string) =>
    [...(await readFile(file, 'utf8').catch(() => '')).matchAll(/^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]/gm)].map((m) => m[1]);
  const known = [...(await sections(config)), ...(await sections(credentials))];
  if (!known.includes(profile)) {
    throw new UsageError(
      `profile ${profile} not found in ${config} or ${credentials} (check --profile or AWS_PROFILE; aws configure list-profiles)`,
    );
  }
}
