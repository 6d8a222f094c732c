import * as z from 'zod';
import { ActionSpec } from '../actions/actionCatalog';
import { credentialKinds, incidentSources } from '../events/CredentialIncident';
import { strictObject as strict } from '../strictObject';

/**
 * Response policies are reviewed data. Matching uses EventBridge's content-filter vocabulary so that
 * security engineers read them as they read their rules: a field matches when any entry of its list does.
 */
const NumericPattern = strict({
  numeric: z
    .array(z.union([z.enum(['<', '<=', '=', '>', '>=']), z.number()]))
    .min(2)
    .refine((ops) => ops.length % 2 === 0, 'numeric takes operator/value pairs, e.g. [">=", 7]'),
});
const PrefixPattern = strict({ prefix: z.string().min(1) });
const AnythingButPattern = strict({
  'anything-but': z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).min(1), PrefixPattern]),
});

export const FieldPattern = z.union([z.string(), z.number(), PrefixPattern, AnythingButPattern, NumericPattern]);
export type FieldPattern = z.infer<typeof FieldPattern>;

const patterns = z.array(FieldPattern).min(1);

/** Every field is optional; a field named must match. */
export const PolicyMatch = strict({
  source: z
    .array(z.union([z.enum(incidentSources), PrefixPattern, AnythingButPattern]))
    .min(1)
    .optional(),
  type: patterns.optional(),
  severity: patterns.optional(),
  credentialKind: z
    .array(z.union([z.enum(credentialKinds), AnythingButPattern]))
    .min(1)
    .optional(),
  accountId: patterns.optional(),
  principalName: patterns.optional(),
});
export type PolicyMatch = z.infer<typeof PolicyMatch>;

const policyModes = ['contain', 'notify-only', 'dry-run'] as const;

export const ResponsePolicy = strict({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'policy names are kebab-case'),
  description: z.string().min(1),
  match: PolicyMatch,
  mode: z.enum(policyModes),
  actions: z.array(ActionSpec),
  /** Contain even when the blast-radius breaker is open: for signals that are proof, not suspicion (a honey key). */
  bypassBreaker: z.boolean().optional(),
});
export type ResponsePolicy = z.infer<typeof ResponsePolicy>;

/** An ordered list: the first policy that matches an incident decides its response. */
export const ResponsePolicySet = z.array(ResponsePolicy).superRefine((policies, ctx) => {
  const seen = new Set<string>();
  policies.forEach((policy, index) => {
    if (seen.has(policy.name)) {
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate policy name "${policy.name}"` });
    }
    seen.add(policy.name);
  });
});
