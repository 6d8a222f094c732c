import { AttachRolePolicyCommand, AttachUserPolicyCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { iamPrincipalOf } from '../domain/CredentialIncident';
import { principalRef } from '../domain/identifiers';
import { partitionOf } from '../domain/partitionOf';
import { actionCatalog } from './actionCatalog';
import type { ContainmentAction } from './ContainmentAction';
import { REVOKE_POLICY_NAME, REVOKE_STATEMENT_ID } from './keystopDenyPolicy';

/** One fixed name, so that a repeat replaces the policy (with a later cut-off) instead of piling up policies. */
export { REVOKE_POLICY_NAME };

/**
 * Temporary credentials (ASIA…) cannot be deactivated. Denying every action to tokens issued before *now* cuts off
 * the stolen session and every other one issued before it, while the workload's next credentials (issued after now)
 * keep working. The cut-off is the response time, not the finding time: a session issued between the two may be the
 * attacker's too. Long-term keys carry no aws:TokenIssueTime, so the user's own keys are not affected.
 */
export function revocationPolicy(cutoff: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: REVOKE_STATEMENT_ID,
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff.toISOString() } },
      },
    ],
  });
}

export const revokeSessions: ContainmentAction<'revoke-sessions'> = {
  ...actionCatalog['revoke-sessions'],
  async run({ incident, now }, { iam }) {
    const principal = iamPrincipalOf(incident.credential);
    if (principal === undefined) {
      return { status: 'skipped', target: 'none', reason: `a ${incident.credential.kind} has no sessions to revoke` };
    }
    const PolicyDocument = revocationPolicy(now);
    try {
      if (principal.kind === 'role') {
        await iam.send(new PutRolePolicyCommand({ RoleName: principal.name, PolicyName: REVOKE_POLICY_NAME, PolicyDocument }));
      } else {
        await iam.send(new PutUserPolicyCommand({ UserName: principal.name, PolicyName: REVOKE_POLICY_NAME, PolicyDocument }));
      }
    } catch (error) {
      if (!isQuotaFull(error)) throw error;
      // Whoever holds the credential can fill the principal's inline-policy quota (2,048 characters for a user) so that
      // the deny cannot be written. A managed policy needs no inline space: AWS's own AWSDenyAll, attached.
      const PolicyArn = denyAllArn(incident.region);
      if (principal.kind === 'role') await iam.send(new AttachRolePolicyCommand({ RoleName: principal.name, PolicyArn }));
      else await iam.send(new AttachUserPolicyCommand({ UserName: principal.name, PolicyArn }));
      return {
        status: 'done',
        target: `${principal.kind}/${principal.name}`,
        reason:
          `the ${principal.kind}'s inline-policy quota is full (LimitExceeded), so the session deny could not be written: ` +
          `attached ${PolicyArn} instead, which denies every session of ${principal.kind} ${principal.name}, new ones ` +
          'too, until a responder detaches it',
      };
    }
    return {
      status: 'done',
      target: principalRef(principal),
      reason: `denied every session of ${principal.kind} ${principal.name} issued before ${now.toISOString()} (inline policy ${REVOKE_POLICY_NAME}); new sessions work`,
    };
  },
};

/** The AWS-managed policy that denies everything, in the partition of the incident's region. */
export const denyAllArn = (region: string) => `arn:${partitionOf(region)}:iam::aws:policy/AWSDenyAll`;

const isQuotaFull = (error: unknown) => error instanceof Error && /^LimitExceeded(Exception)?$/.test(error.name);
