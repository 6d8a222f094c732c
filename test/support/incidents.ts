import type { ActionResult } from '../../src/actions/ContainmentAction';
import type { Credential, CredentialIncident } from '../../src/domain/CredentialIncident';
import type { AnsweredIncident, IncidentResponse } from '../../src/domain/IncidentResponse';

/** A GuardDuty-shaped incident about the given credential; every field a test does not care about is plausible. */
export function incidentAbout(credential: Credential, overrides: Partial<CredentialIncident> = {}): CredentialIncident {
  return {
    id: 'guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90',
    source: 'guardduty',
    type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
    severity: 5,
    severityLabel: 'MEDIUM',
    accountId: '111122223333',
    region: 'eu-west-1',
    observedAt: '2026-10-02T08:16:45Z',
    credential,
    sample: false,
    backupDelivery: false,
    title: 'API GetCallerIdentity was invoked from a Tor exit node IP address.',
    evidence: {
      sourceIp: '192.0.2.77',
      country: 'Netherlands',
      city: 'Amsterdam',
      asnOrg: 'Documentation Tor Relay AS',
      api: 'GetCallerIdentity',
      serviceName: 'sts.amazonaws.com',
      userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
    },
    origin: {
      findingId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      findingArn: 'arn:aws:guardduty:eu-west-1:111122223333:detector/0f1e/finding/a1b2c3d4e5f60718293a4b5c6d7e8f90',
      eventId: 'c2d4e6f8-0a1b-4c3d-8e5f-7a9b1c3d5e7f',
    },
    ...overrides,
  };
}

export const credentials = {
  'long-term-key': { kind: 'long-term-key', accessKeyId: 'AKIAEXAMPLELEAKED001', userName: 'build-bot' },
  'user-session': { kind: 'user-session', accessKeyId: 'ASIAEXAMPLESESSION01', userName: 'alice' },
  'role-session': { kind: 'role-session', accessKeyId: 'ASIAEXAMPLEROLESES01', roleName: 'ci-deployer', sessionName: 'i-0abc123' },
  'federated-session': { kind: 'federated-session', accessKeyId: 'ASIAEXAMPLEFEDERAT01', principalName: 'partner-sso' },
  'iam-user': { kind: 'iam-user', userName: 'legacy-app' },
  root: { kind: 'root' },
  unmapped: { kind: 'unmapped', entities: ['ACCESS_KEY_ID_HERE'] },
} satisfies Record<Credential['kind'], Credential>;

/** A response as respond() builds it before the alert goes out (containment steps only). */
export function responseTo(
  incident: CredentialIncident,
  response: Partial<IncidentResponse> & { actions?: ActionResult[] } = {},
): AnsweredIncident {
  return {
    outcome: 'contained',
    reason: 'matched',
    explanation: "GuardDuty saw the credential used from a Tor address: the key is in someone else's hands. Contain it.",
    policy: 'guardduty-key-used-by-attacker',
    actions: [],
    ...response,
    incident,
  };
}
