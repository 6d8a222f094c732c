import * as z from 'zod';
import { credentialKinds, incidentSources } from '../events/CredentialIncident';

/**
 * Response policies are reviewed data. Matching uses EventBridge's content-filter vocabulary so that
 * security engineers read them as they read their rules: a field matches when any entry of its list does.
 */
const NumericPattern = z
  .object({
    numeric: z
      .array(z.union([z.enum(['<', '<=', '=', '>', '>=']), z.number()]))
      .min(2)
      .refine((ops) => ops.length % 2 === 0, 'numeric takes operator/value pairs, e.g. [">=", 7]'),
  })
  .strict();
const PrefixPattern = z.object({ prefix: z.string().min(1) }).strict();
const AnythingButPattern = z
  .object({
    'anything-but': z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).min(1), PrefixPattern]),
  })
  .strict();

export const FieldPattern = z.union([z.string(), z.number(), PrefixPattern, AnythingButPattern, NumericPattern]);
export type FieldPattern = z.infer<typeof FieldPattern>;

const patterns = z.array(FieldPattern).min(1);

export const PolicyMatch = z
  .object({
    source: z.array(z.union([z.enum(incidentSources), PrefixPattern, AnythingButPattern])).min(1),
    type: patterns,
    severity: patterns,
    credentialKind: z.array(z.union([z.enum(credentialKinds), AnythingButPattern])).min(1),
    accountId: patterns,
    principalName: patterns,
  })
  .partial()
  .strict();
export type PolicyMatch = z.infer<typeof PolicyMatch>;

export const actionTypes = ['deactivate-access-key', 'revoke-sessions', 'tag-principal', 'deactivate-user-keys'] as const;
export type ActionType = (typeof actionTypes)[number];

/** Each action is its own strict object, so an option that an action does not take is an error too. */
export const ActionSpec = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('deactivate-access-key') }).strict(),
    z.object({ type: z.literal('revoke-sessions') }).strict(),
    z.object({ type: z.literal('tag-principal') }).strict(),
    z.object({ type: z.literal('deactivate-user-keys') }).strict(),
  ],
  { error: (issue) => `unknown action type ${JSON.stringify((issue.input as { type?: unknown })?.type)}; valid types: ${actionTypes.join(', ')}` },
);
export type ActionSpec = z.infer<typeof ActionSpec>;

export const policyModes = ['contain', 'notify-only', 'dry-run'] as const;

export const ResponsePolicy = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'policy names are kebab-case'),
    description: z.string().min(1),
    match: PolicyMatch,
    mode: z.enum(policyModes),
    actions: z.array(ActionSpec),
  })
  .strict();
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
