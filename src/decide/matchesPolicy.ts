import { type CredentialIncident, principalNameOf } from '../domain/CredentialIncident';
import type { FieldPattern, PolicyMatch } from './ResponsePolicy';

/** The incident's values under the names policies match on. A missing value matches no pattern. */
function fieldsOf(incident: CredentialIncident): Record<keyof PolicyMatch, string | number | undefined> {
  return {
    source: incident.source,
    type: incident.type,
    severity: incident.severity,
    credentialKind: incident.credential.kind,
    accountId: incident.accountId,
    principalName: principalNameOf(incident.credential),
  };
}

/** EventBridge semantics: every field named must match; within a field, any one pattern is enough. */
export function matchesPolicy(match: PolicyMatch, incident: CredentialIncident): boolean {
  const fields = fieldsOf(incident);
  return (Object.keys(match) as (keyof PolicyMatch)[]).every((field) => {
    const value = fields[field];
    const patterns = match[field] as FieldPattern[] | undefined;
    return patterns === undefined || (value !== undefined && patterns.some((p) => matchesPattern(p, value)));
  });
}

export function matchesPattern(pattern: FieldPattern, value: string | number): boolean {
  if (typeof pattern === 'string' || typeof pattern === 'number') return pattern === value;
  if ('prefix' in pattern) return typeof value === 'string' && value.startsWith(pattern.prefix);
  if ('numeric' in pattern) return typeof value === 'number' && matchesNumeric(pattern.numeric, value);
  const excluded = pattern['anything-but'];
  if (Array.isArray(excluded)) return !excluded.includes(value);
  if (typeof excluded === 'object') return !(typeof value === 'string' && value.startsWith(excluded.prefix));
  return excluded !== value;
}

function matchesNumeric(conditions: (string | number)[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const operator = conditions[i];
    const bound = Number(conditions[i + 1]);
    const holds =
      operator === '<'
        ? value < bound
        : operator === '<='
          ? value <= bound
          : operator === '='
            ? value === bound
            : operator === '>'
              ? value > bound
              : value >= bound;
    if (!holds) return false;
  }
  return true;
}
