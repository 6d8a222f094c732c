import { actionCatalog } from '../actions/actionCatalog';
import type { IncidentSource } from '../domain/CredentialIncident';
import { READ_KEY_STATUS_PERMISSIONS, READ_PRINCIPAL_PERMISSIONS } from '../facts/readPermissions';
import { FOLLOW_PERMISSIONS } from './followPlan';
import { matchesPattern } from './matchesPolicy';
import type { ResponsePolicy } from './ResponsePolicy';

/**
 * The IAM permissions a function needs to carry out every policy that can match incidents from its source: the
 * union of what those policies' actions declare, plus reading the principal (exemption tag, path) and a key's status. serverless.yml grants exactly
 * these (a packaging test holds it to that).
 */
export function requiredPermissions(policies: readonly ResponsePolicy[], source: IncidentSource): string[] {
  const reachable = policies.filter(
    (policy) =>
      policy.mode !== 'notify-only' &&
      (policy.match.source === undefined || policy.match.source.some((pattern) => matchesPattern(pattern, source))),
  );
  const actions = reachable.flatMap((policy) => policy.actions.map((step) => actionCatalog[step.type]));
  const permissions = new Set(actions.flatMap((action) => action.permissions));
  if (actions.length > 0) for (const permission of READ_PRINCIPAL_PERMISSIONS) permissions.add(permission);
  // Before deactivating, respond() reads the key's status, so an already inactive key is not written again.
  // …and once the key is cut off, contains what it made (src/respond/incident/followCreations.ts).
  if (actions.includes(actionCatalog['deactivate-access-key']))
    for (const permission of [...READ_KEY_STATUS_PERMISSIONS, ...FOLLOW_PERMISSIONS]) permissions.add(permission);
  return [...permissions].sort();
}

/** What the tamper guard may do to put a containment back: the key deactivated again, the deny policy re-written. */
export const GUARD_ACTIONS = ['deactivate-access-key', 'revoke-sessions'] as const;

/** The IAM permissions of the tamper guard's function: exactly what its actions declare (no reads of principals). */
export function guardPermissions(): string[] {
  return [...new Set(GUARD_ACTIONS.flatMap((type) => actionCatalog[type].permissions))].sort();
}
