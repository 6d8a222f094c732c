/**
 * Just enough of IAM's policy evaluation to ask "may this role do X to Y?" of a template, before deployment:
 * intrinsic functions substituted with one account's values, then an explicit deny wins over any allow, and anything
 * not allowed is denied. Conditions are not evaluated: a statement with conditions counts as applying (the
 * worst case for an allow, the best case for a deny — tests that rely on a deny check it has no condition).
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}

const SAMPLE_VALUES: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'us-east-1',
};

/** Fn::Sub, Ref (to the given values) and Fn::GetAtt (to a stand-in ARN) resolved to plain strings. */
export function substitute(value: unknown, values: Record<string, string> = SAMPLE_VALUES): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, values));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, any>;
  if ('Fn::Sub' in object) {
    const text: string = Array.isArray(object['Fn::Sub']) ? object['Fn::Sub'][0] : object['Fn::Sub'];
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (!(name in values)) throw new Error(`no value for \${${name}}`);
      return values[name]!;
    });
  }
  if ('Ref' in object) return values[object.Ref] ?? `ref:${object.Ref}`;
  if ('Fn::GetAtt' in object) return `getatt:${object['Fn::GetAtt'].join('.')}`;
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, substitute(v, values)]));
}

const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value as string]);

function globMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex.replace(/\\\?/g, '.')}$`, 'i').test(value);
}

function applies(statement: PolicyStatement, action: string, resource: string): boolean {
  const actionMatches =
    statement.Action !== undefined
      ? list(statement.Action).some((a) => globMatches(a, action))
      : !list(statement.NotAction).some((a) => globMatches(a, action));
  return actionMatches && list(statement.Resource).some((r) => globMatches(r, resource));
}

/** Whether the statements (already substituted) allow the action on the resource. */
export function isAllowed(statements: readonly PolicyStatement[], action: string, resource: string): boolean {
  const matching = statements.filter((s) => applies(s, action, resource));
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny' && s.Condition === undefined);
}

/** The IAM actions that write (anything but reads), among those the statements allow. */
export function iamWritesAllowed(statements: readonly PolicyStatement[]): string[] {
  return statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => list(s.Action))
    .filter((a) => a.startsWith('iam:') && !/^iam:(Get|List)/.test(a));
}
