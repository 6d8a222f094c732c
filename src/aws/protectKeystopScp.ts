/**
 * The service control policy that keeps Keystop's trust out of an attacker's reach, produced for one deployment
 * (`keystop scp`): every principal it exempts is an exact role ARN in a named account, or a pattern only the
 * deployment can create roles under, because the same SCP denies creating or changing roles at Keystop's path or
 * with the member role's name to everyone but the deployers. Pure: the command prints it; tests evaluate it.
 */
export interface ScpSettings {
  partition: string;
  /** The account Keystop runs in. */
  securityAccount: string;
  stage: string;
  /** The member role's name; undefined for a single-account deployment. */
  memberRoleName?: string;
  /** The member accounts by id, or undefined for every account of the organisation but the security account. */
  memberAccounts?: readonly string[];
  /** Exact role ARNs allowed to set `keystop:*` tags besides Keystop (the security team). */
  securityRoles: readonly string[];
  /** Exact role ARNs that deploy Keystop's stacks (the only ones that may create or change its roles). */
  deployers: readonly string[];
  /** The exemption tag's key, when outside `keystop:`. */
  extraTagKeys?: readonly string[];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const ACCOUNT = /^\d{12}$/;

/** Every problem with the settings, one line each: an SCP built on a wildcard would trust what anyone can create. */
export function scpProblems(settings: ScpSettings): string[] {
  const problems: string[] = [];
  if (!ACCOUNT.test(settings.securityAccount)) problems.push('--security-account must be a 12-digit account id');
  if (!/^[\w-]{1,64}$/.test(settings.stage)) problems.push('--stage must be a stage name');
  if (settings.memberRoleName !== undefined && !/^[\w+=,.@-]{1,64}$/.test(settings.memberRoleName)) {
    problems.push('--member-role must be an IAM role name');
  }
  for (const account of settings.memberAccounts ?? []) {
    if (!ACCOUNT.test(account)) problems.push(`--member-accounts: ${account} is not a 12-digit account id`);
  }
  if (settings.deployers.length === 0) problems.push('--deployers: name at least one role that deploys Keystop');
  for (const [flag, arns] of [
    ['--security-roles', settings.securityRoles],
    ['--deployers', settings.deployers],
  ] as const) {
    for (const arn of arns) {
      if (!ROLE_ARN.test(arn)) problems.push(`${flag}: ${arn} is not the exact ARN of a role in a named account (no wildcard)`);
    }
  }
  return problems;
}

const TAG_ACTIONS = ['iam:TagUser', 'iam:UntagUser', 'iam:TagRole', 'iam:UntagRole', 'iam:CreateUser', 'iam:CreateRole'];
/** Every way to create a role or change what it may do, who may assume it, or how it is tagged. */
const ROLE_CHANGES = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:TagRole',
  'iam:UntagRole',
];

export function protectKeystopScp(settings: ScpSettings) {
  const { partition: p, securityAccount, stage, memberRoleName } = settings;
  const iam = (account: string, resource: string) => `arn:${p}:iam::${account}:${resource}`;
  const functionRoles = iam(securityAccount, `role/keystop/${stage}/*`);
  const memberRoles =
    memberRoleName === undefined
      ? []
      : settings.memberAccounts
        ? settings.memberAccounts.filter((a) => a !== securityAccount).map((a) => iam(a, `role/${memberRoleName}`))
        : [iam('*', `role/${memberRoleName}`)];
  const tagKeys = ['keystop:*', ...(settings.extraTagKeys ?? [])];
  const statements: Record<string, unknown>[] = [
    {
      Sid: 'OnlyKeystopAndSecurityRolesSetKeystopTags',
      Effect: 'Deny',
      Action: TAG_ACTIONS,
      Resource: '*',
      Condition: {
        'ForAnyValue:StringLike': { 'aws:TagKeys': tagKeys },
        ArnNotLike: { 'aws:PrincipalArn': [functionRoles, ...memberRoles, ...settings.securityRoles] },
      },
    },
  ];
  if (memberRoleName !== undefined) {
    // The member role acts in member accounts only: a role of its name in the security account is not Keystop's.
    statements.push({
      Sid: 'NoMemberRoleTagsInSecurityAccount',
      Effect: 'Deny',
      Action: TAG_ACTIONS,
      Resource: '*',
      Condition: {
        'ForAnyValue:StringLike': { 'aws:TagKeys': tagKeys },
        ArnEquals: { 'aws:PrincipalArn': iam(securityAccount, `role/${memberRoleName}`) },
      },
    });
  }
  statements.push({
    Sid: 'OnlyTheDeploymentManagesKeystopRoles',
    Effect: 'Deny',
    Action: ROLE_CHANGES,
    Resource: [iam('*', 'role/keystop/*'), ...(memberRoleName === undefined ? [] : [iam('*', `role/${memberRoleName}`)])],
    Condition: { ArnNotLike: { 'aws:PrincipalArn': settings.deployers } },
  });
  return { Version: '2012-10-17', Statement: statements };
}
