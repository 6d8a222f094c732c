import { Command } from 'commander';
import { UsageError } from '../../UsageError';

interface ScpOptions {
  securityAccount: string;
  stage: string;
  memberRole?: string;
  memberAccounts?: string;
  securityRoles?: string;
  deployers?: string;
  tagKey: string[];
  partition: string;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `keystop scp`: the deployment's SCP (exact ARNs), printed as JSON for `aws organizations create-policy`. */
export function scpCommand(): Command {
  return new Command('scp')
    .description("Print the SCP that keeps Keystop's tags and roles out of an attacker's reach, for this deployment (no AWS call).")
    .requiredOption('--security-account <id>', 'the account Keystop runs in')
    .option('--stage <stage>', "the stage deployed (Keystop's roles live under /keystop/<stage>/)", 'prod')
    .option('--member-role <name>', 'the memberRoleName deployed; omit for a single account')
    .option('--member-accounts <ids>', 'comma-separated member account ids; omit for every account of the organisation')
    .option('--security-roles <arns>', 'comma-separated exact role ARNs that may set keystop:* tags besides Keystop')
    .option('--deployers <arns>', "comma-separated exact role ARNs that deploy Keystop's stacks (StackSet execution roles included)")
    .option(
      '--tag-key <key>',
      'the exemption tag key when it is outside keystop:; repeatable',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--partition <partition>', 'aws, aws-us-gov or aws-cn', 'aws')
    .action(async (options: ScpOptions) => {
      const { protectKeystopScp, scpProblems } = await import('../../../aws/protectKeystopScp');
      const settings = {
        partition: options.partition,
        securityAccount: options.securityAccount,
        stage: options.stage,
        memberRoleName: options.memberRole,
        memberAccounts: options.memberAccounts === undefined ? undefined : list(options.memberAccounts),
        securityRoles: list(options.securityRoles),
        deployers: list(options.deployers),
        extraTagKeys: options.tagKey,
      };
      const problems = scpProblems(settings);
      if (problems.length > 0) throw new UsageError(problems.join('\n'));
      process.stdout.write(`${JSON.stringify(protectKeystopScp(settings), null, 2)}\n`);
    });
}
