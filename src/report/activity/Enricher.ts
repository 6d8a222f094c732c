import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CredentialIncident } from '../../domain/CredentialIncident';
import { messageOf } from '../../domain/errors';
import type { ActivityReport } from './ActivityReport';
import { type ActivityLookupSettings, lookupKeyActivity } from './lookupKeyActivity';

/** Finds out what a credential did. Called only after containment; never throws. */
export interface Enricher {
  activityOf(incident: CredentialIncident): Promise<ActivityReport>;
}

/** CloudTrail LookupEvents by the incident's access key id, in the configured regions (or the incident's own). */
export function cloudTrailEnricher(
  cloudTrailIn: (region: string) => CloudTrailClient | Promise<CloudTrailClient>,
  settings: Omit<ActivityLookupSettings, 'regions'> & { regions: readonly string[] },
  now: () => Date,
): Enricher {
  return {
    async activityOf(incident) {
      const skip = notApplicable(incident);
      if (skip) return skip;
      const accessKeyId = (incident.credential as { accessKeyId: string }).accessKeyId;
      const regions = settings.regions.length > 0 ? settings.regions : defaultRegions(incident.region);
      try {
        return await lookupKeyActivity(cloudTrailIn, accessKeyId, { ...settings, regions }, now());
      } catch (error) {
        return { status: 'failed', reason: `CloudTrail lookup failed: ${messageOf(error)}` };
      }
    },
  };
}

/** Where no lookup can be made (switched off, or the local emulator, which does not implement LookupEvents). */
export function unavailableEnricher(reason: string): Enricher {
  return {
    async activityOf(incident) {
      return notApplicable(incident) ?? { status: 'unavailable', reason };
    },
  };
}

function notApplicable(incident: CredentialIncident): ActivityReport | undefined {
  if (incident.sample) return { status: 'not-applicable', reason: 'a sample finding names no real key' };
  const { credential } = incident;
  if (!('accessKeyId' in credential) || !credential.accessKeyId) {
    return { status: 'not-applicable', reason: 'the report names no access key to look up (use the CloudTrail link by user name)' };
  }
  return undefined;
}

/** The incident's region, plus us-east-1 where CloudTrail records IAM and STS (global services) calls. */
function defaultRegions(region: string): string[] {
  const valid = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region) ? [region] : [];
  return [...new Set([...valid, 'us-east-1'])];
}

/**
 * CloudTrail event history belongs to the account the key was used in: a lookup from Keystop's own account would
 * find nothing for a member account's key and read as "the key did nothing". Such incidents report why instead.
 */
export function ownAccountOnly(ownAccountId: string, inner: Enricher): Enricher {
  return {
    async activityOf(incident) {
      if (incident.accountId === ownAccountId) return inner.activityOf(incident);
      return (
        notApplicable(incident) ?? {
          status: 'unavailable',
          reason: `the key belongs to account ${incident.accountId}, whose CloudTrail event history Keystop does not read; use the CloudTrail link in that account`,
        }
      );
    },
  };
}
