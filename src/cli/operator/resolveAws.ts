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
