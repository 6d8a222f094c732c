import * as z from 'zod';
import { credentialKinds, incidentSources } from '../events/CredentialIncident';

/** A strict object whose unknown-key error names the keys it does take. */
function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; valid keys: ${Object.keys(shape).join(', ')}`
        : undefined,
  });
}

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

const actionTypes = ['deactivate-access-key', 'revoke-sessions', 'tag-principal', 'deactivate-user-keys'] as const;
export type ActionType = (typeof actionTypes)[number];

/** Each action is its own strict object, so an option that an action does not take is an error too. */
export const ActionSpec = z.discriminatedUnion(
  'type',
  [
    strict({ type: z.literal('deactivate-access-key') }),
    strict({ type: z.literal('revoke-sessions') }),
    strict({ type: z.literal('tag-principal') }),
    strict({ type: z.literal('deactivate-user-keys') }),
  ],
  {
    error: (issue) =>
      `unknown action type ${JSON.stringify((issue.input as { type?: unknown })?.type)}; valid types: ${actionTypes.join(', ')}`,
  },
);
export type ActionSpec = z.infer<typeof ActionSpec>;

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
