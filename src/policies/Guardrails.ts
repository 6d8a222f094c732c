/** Safety rails the planner applies before any policy's actions, configured per deployment. */
export interface Guardrails {
  /** Report what would be done, change nothing. */
  dryRun: boolean;
  /** Principal names or ARN patterns (`*` matches any run of characters) that are never contained. */
  exemptPrincipals: string[];
  /** A tag that, on the user or role (read live from IAM), exempts it from containment; undefined turns it off. */
  exemptTag: { key: string; value: string } | undefined;
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
