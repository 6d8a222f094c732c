import { GetRoleCommand, type IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { cannotTalkToAws, describeError } from '../../describeError';

export interface ExemptTagCheck {
  /** The IAM user or role whose policies were simulated. */
  principalArn: string;
  /** false: the principal can set the exemption tag (on users, roles, or both); undefined: it could not be checked. */
  ok: boolean | undefined;
  detail: string;
}

/** The actions that can put a tag on a user or role: tagging, and creating one with tags. */
const TAGGING_ACTIONS = ['iam:TagUser', 'iam:TagRole', 'iam:CreateUser', 'iam:CreateRole'];

/**
 * Whether a principal can set Keystop's exemption tag (key=value) — and so exempt itself, or an accomplice, before
 * a finding about it arrives. IAM's policy simulator (SimulatePrincipalPolicy) evaluates the principal's policies,
 * permissions boundary and the organisation's SCPs for tagging with that key and value; it needs
 * iam:SimulatePrincipalPolicy (and iam:GetRole for a role session) and is read-only.
 */
export async function checkExemptTag(
  clients: { iam: IAMClient; sts: STSClient },
  tag: { key: string; value: string },
  principalArn?: string,
): Promise<ExemptTagCheck> {
  let arn = principalArn;
  try {
    arn ??= await callerPrincipalArn(clients);
    const { EvaluationResults = [] } = await clients.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: arn,
        ActionNames: TAGGING_ACTIONS,
        ContextEntries: [
          { ContextKeyName: 'aws:TagKeys', ContextKeyType: 'stringList', ContextKeyValues: [tag.key] },
          { ContextKeyName: `aws:RequestTag/${tag.key}`, ContextKeyType: 'string', ContextKeyValues: [tag.value] },
          { ContextKeyName: 'aws:PrincipalArn', ContextKeyType: 'string', ContextKeyValues: [arn] },
        ],
      }),
    );
    const allowed = EvaluationResults.filter((r) => r.EvalDecision === 'allowed').map((r) => r.EvalActionName);
    if (allowed.length > 0) {
      return {
        principalArn: arn,
        ok: false,
        detail:
          `${arn} can set ${tag.key}=${tag.value} (${allowed.join(', ')} allowed): if it is compromised it can exempt itself ` +
          'from containment. Deny tagging keystop:* to all but your security roles (the SCP `keystop scp` prints, docs/deploy.md)',
      };
    }
    return { principalArn: arn, ok: true, detail: `${arn} cannot set ${tag.key}=${tag.value}: ${TAGGING_ACTIONS.join(', ')} denied` };
  } catch (error) {
    if (cannotTalkToAws(error)) throw error;
    return {
      principalArn: arn ?? 'unknown',
      ok: undefined,
      detail: `could not check whether the exemption tag can be set: ${describeError(error)} (needs iam:SimulatePrincipalPolicy)`,
    };
  }
}

/** The IAM ARN of the caller: a user's as is; for a role session, its role's (with its path, which STS omits). */
async function callerPrincipalArn({ iam, sts }: { iam: IAMClient; sts: STSClient }): Promise<string> {
  const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(Arn ?? '');
  if (!session) return Arn!;
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: session[3]! }));
  return Role!.Arn!;
}
