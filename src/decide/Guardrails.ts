/** Safety rails the planner applies before any policy's actions, configured per deployment. */
export interface Guardrails {
  /** Report what would be done, change nothing. */
  dryRun: boolean;
  /** Principal names or ARN patterns (`*` matches any run of characters) that are never contained. */
  exemptPrincipals: string[];
  /** A tag that, on the user or role (read live from IAM), exempts it from containment; undefined turns it off. */
  exemptTag: { key: string; value: string } | undefined;
  /**
   * The accounts Keystop may change. An incident in any other account is only alerted on. Undefined only where
   * nothing is carried out (`keystop policies explain`); every deployment and command that acts sets it.
   */
  accounts?: AccountScope;
  /**
   * Keystop's own roles, never contained whatever a finding says (a finding about them would have Keystop cut off its
   * own response): the function roles in `accounts.own`, the member role in any other account, nowhere else (a name or
   * path can be created by anyone with iam:CreateRole). AWS-managed roles are protected whether or not this is set.
   */
  ownRoles?: OwnRoles;
}

/** The roles Keystop itself runs as, by name: its functions' roles (its own account) and its member role (member accounts). */
interface OwnRoles {
  /** The function roles' names (serverless.yml gives them; KEYSTOP_OWN_ROLE_NAMES). */
  functionRoleNames: readonly string[];
  /** The member role's name, the same in every member account; undefined in a single-account deployment. */
  memberRoleName: string | undefined;
}

/** The account Keystop runs in, and the member accounts it may reach through its member role. */
export interface AccountScope {
  own: string;
  /** Member account ids; `*` stands for any account whose member role trusts Keystop (an organisation's StackSet). */
  members: readonly string[];
}

/**
 * Whether an incident in this account may be acted on. An account named only inside the event's content (an attack
 * sequence's actor in an account other than the finding's) must be Keystop's own or listed by id: `*` stands for the
 * accounts that report to Keystop, not for any account a finding's text mentions.
 */
export function mayActIn(scope: AccountScope, accountId: string, namedOnlyInContent = false): boolean {
  if (accountId === scope.own || scope.members.includes(accountId)) return true;
  return scope.members.includes('*') && !namedOnlyInContent;
}

/**
 * Whether the planner needs the principal's live facts (tags, IAM path) before it can decide: for the exemption tag,
 * and for ARN patterns, which may name a path the report does not carry.
 */
export function needsPrincipalFacts(guardrails: Guardrails): boolean {
  return guardrails.exemptTag !== undefined || guardrails.exemptPrincipals.some((pattern) => pattern.startsWith('arn:'));
}

export const DEFAULT_EXEMPT_TAG = { key: 'keystop:exempt', value: 'true' };

/** No rail but the ones that always hold (samples never contain). */
export const noGuardrails: Guardrails = { dryRun: false, exemptPrincipals: [], exemptTag: undefined };

/** What a deployment gets unless configured otherwise. */
export const defaultGuardrails: Guardrails = { ...noGuardrails, exemptTag: DEFAULT_EXEMPT_TAG };

/** Parses `key=value` (the configuration's form); an empty string turns tag exemption off. */
export function parseExemptTag(text: string): Guardrails['exemptTag'] {
  if (text.trim() === '') return undefined;
  const [key, ...rest] = text.split('=');
  const value = rest.join('=');
  if (!key || !value) throw new Error(`an exemption tag is written key=value, e.g. keystop:exempt=true (got "${text}")`);
  return { key: key.trim(), value: value.trim() };
}
