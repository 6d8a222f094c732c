import type { ResponsePolicy } from '../decide/ResponsePolicy';
import { requiredPermissions } from '../decide/requiredPermissions';
import type { IncidentSource } from '../domain/CredentialIncident';

/** serverless.yml's functions, by the source of the incidents each one handles. */
const FUNCTION_SOURCES: Record<string, IncidentSource> = {
  guardduty: 'guardduty',
  securityhub: 'security-hub',
  health: 'health',
  cloudtrail: 'cloudtrail',
};

interface ServiceShape {
  functions?: Record<string, { role?: unknown } | null>;
  resources?: { Resources?: Record<string, unknown> };
}

/** Every action an `Allow` statement anywhere in the resource names (conditional statements included). */
function allowedActions(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) allowedActions(item, into);
  else if (node !== null && typeof node === 'object') {
    const statement = node as { Effect?: unknown; Action?: unknown };
    if (statement.Effect === 'Allow' && statement.Action !== undefined) {
      for (const action of [statement.Action].flat()) if (typeof action === 'string') into.add(action);
    }
    for (const value of Object.values(node)) allowedActions(value, into);
  }
  return into;
}

/**
 * Pure: the IAM actions an operator's policies need that a function's role does not grant, one line each. With the
 * shipped policies there are none (test/packaging holds serverless.yml to them); a policy file that adds an action
 * for a source would otherwise fail with AccessDenied at its first real finding.
 */
export function missingPermissions(policies: readonly ResponsePolicy[], service: ServiceShape): string[] {
  return Object.entries(FUNCTION_SOURCES).flatMap(([fn, source]) => {
    const roleName = String(service.functions?.[fn]?.role ?? '');
    const role = service.resources?.Resources?.[roleName];
    if (role === undefined) return [];
    const granted = allowedActions(role);
    const missing = requiredPermissions(policies, source).filter((action) => !granted.has(action));
    return missing.length === 0
      ? []
      : [
          `param policiesFile: the policies act on ${source} incidents with ${missing.join(', ')}, which the ${fn} function's role (${roleName}) does not grant: add ${missing.length > 1 ? 'them' : 'it'} to the role in serverless.yml, or change the policies`,
        ];
  });
}
