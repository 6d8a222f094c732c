import { type CredentialIncident, severityLabelOf } from '../domain/CredentialIncident';
import type { CloudTrailApiCallEvent } from './CloudTrailApiCallEvent';
import { callerCredential, commonOf } from './fromCloudTrail';

/**
 * The user agents of offensive tools, as CloudTrail records them, from public detection rules:
 * - Elastic, "AWS Suspicious User Agent Fingerprint" (rule f80ea920-f6f5-4c8a-9761-84ac97ec0cb2): the AWS CLI or Boto3
 *   on Kali Linux (`distrib#kali`, `+kali`, `kali-amd64`, `kali-arm64`), and TruffleHog.
 * - Panther, "AWS STS GetCallerIdentity via TruffleHog" (AWS.STS.GetCallerIdentity.TruffleHog): TruffleHog names
 *   itself when it checks whether a found key is live, with sts:GetCallerIdentity — usually the first call anyone
 *   makes with a leaked key, and a read-only one (the rule must receive read-only events).
 * The rule in serverless.yml (OffensiveUserAgentRule) matches the same substrings; test/packaging holds them equal.
 */
export const OFFENSIVE_USER_AGENTS = [
  { tool: 'Kali Linux', substrings: ['distrib#kali', '+kali', 'kali-amd64', 'kali-arm64'] },
  { tool: 'TruffleHog', substrings: ['TruffleHog', 'trufflehog'] },
] as const;

/** The offensive tool a user agent names, if any. */
export function offensiveToolOf(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  return OFFENSIVE_USER_AGENTS.find((entry) => entry.substrings.some((s) => userAgent.includes(s)))?.tool;
}

/**
 * A call made with an access key by an offensive tool: an earlier signal than GuardDuty's, and a weaker one. The user
 * agent is written by the caller, so its presence is evidence and its absence proves nothing; by default Keystop
 * alerts with the one-step approval (policy cloudtrail-offensive-tool-user-agent), and a policy may contain instead.
 * A call that failed counts too: CloudTrail records a refused call under the key only when the key itself was valid.
 * A session's signal is recorded by its principal (the role or user, not the ASIA key): a loop of AssumeRole from Kali
 * raises one incident and one alert per principal per de-duplication window, not one per session.
 */
export function fromOffensiveUserAgent(event: CloudTrailApiCallEvent): CredentialIncident | undefined {
  const record = event.detail;
  const tool = offensiveToolOf(record.userAgent);
  const accessKeyId = record.userIdentity.accessKeyId;
  if (tool === undefined || !accessKeyId) return undefined;
  const caller = callerCredential(accessKeyId, record.userIdentity);
  if (caller === undefined) return undefined;
  // A session is renewed at will (AssumeRole in a loop): every session of the principal is one record, so one alert.
  const credential =
    caller.kind === 'role-session' || caller.kind === 'user-session' ? { ...caller, recordedBy: 'principal' as const } : caller;
  const accountId = record.userIdentity.accountId ?? record.recipientAccountId ?? event.account;
  return {
    ...commonOf(event, accountId),
    type: `OffensiveToolUserAgent:${tool.replace(/\s+/g, '')}`,
    severity: 5,
    severityLabel: severityLabelOf(5),
    credential,
    title: `${accessKeyId} was used by ${tool} (user agent): ${record.eventSource} ${record.eventName}${record.errorCode ? ` (${record.errorCode})` : ''}`,
  };
}
