import { ActionSpec } from '../actions/actionCatalog';
import { credentialKinds, incidentSources } from '../domain/CredentialIncident';
import { strictObject as strict } from '../domain/strictObject';
import * as z from '../zod';

/**
 * Response policies are reviewed data. Matching uses EventBridge's content-filter vocabulary so that
 * security engineers read them as they read their rules: a field matches when any entry of its list does.
 */
const NumericPattern = strict({
  numeric: z.array(z.union([z.enum(['<', '<=', '=', '>', '>=']), z.number()])).check(
    z.minLength(2),
    z.refine((ops) => ops.length % 2 === 0, 'numeric takes operator/value pairs, e.g. [">=", 7]'),
  ),
});
const PrefixPattern = strict({ prefix: z.string().check(z.minLength(1)) });
const AnythingButPattern = strict({
  'anything-but': z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).check(z.minLength(1)), PrefixPattern]),
});

export const FieldPattern = z.union([z.string(), z.number(), PrefixPattern, AnythingButPattern, NumericPattern]);
export type FieldPattern = z.infer<typeof FieldPattern>;

const optionalPatterns = z.optional(z.array(FieldPattern).check(z.minLength(1)));

/** Every field is optional; a field named must match. */
export const PolicyMatch = strict({
  source: z.optional(z.array(z.union([z.enum(incidentSources), PrefixPattern, AnythingButPattern])).check(z.minLength(1))),
  type: optionalPatterns,
  severity: optionalPatterns,
  credentialKind: z.optional(z.array(z.union([z.enum(credentialKinds), AnythingButPattern])).check(z.minLength(1))),
  accountId: optionalPatterns,
  principalName: optionalPatterns,
});
export type PolicyMatch = z.infer<typeof PolicyMatch>;

const policyModes = ['contain', 'notify-only', 'dry-run'] as const;

export const ResponsePolicy = strict({
  name: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'policy names are kebab-case')),
  description: z.string().check(z.minLength(1)),
  match: PolicyMatch,
  mode: z.enum(policyModes),
  actions: z.array(ActionSpec),
  /** Contain even when the blast-radius breaker is open: for signals that are proof, not suspicion (a honey key). */
  bypassBreaker: z.optional(z.boolean()),
});
export type ResponsePolicy = z.infer<typeof ResponsePolicy>;

/** An ordered list: the first policy that matches an incident decides its response. */
export const ResponsePolicySet = z.array(ResponsePolicy).check(
  z.superRefine((policies, ctx) => {
    const seen = new Set<string>();
    policies.forEach((policy, index) => {
      if (seen.has(policy.name)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate policy name "${policy.name}"` });
      }
      seen.add(policy.name);
    });
  }),
);
