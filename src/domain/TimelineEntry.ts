import * as z from '../zod';

/**
 * One line of a credential's story (docs/operations.md, "A credential's story"): a report that arrived, what Keystop
 * decided and why, each step and its result, each alert, each change the guard saw, each human act. Stored beside the
 * credential's record and read back by `keystop incidents show`: a zod schema, as the table is not ours alone to write.
 */
export const TimelineEntry = z.object({
  at: z.string().check(z.minLength(1)),
  kind: z.enum(['report', 'decision', 'action', 'alert', 'guard', 'human']),
  /** One sentence for the responder reading it at 3 a.m. */
  text: z.string(),
  /** The incident the entry belongs to. */
  incidentId: z.optional(z.string()),
  /** On a report: the earliest activity it names (what time-to-contain is measured from). */
  firstActivityAt: z.optional(z.string()),
  /** On an action: whether it cut the credential off (deactivated it or denied its sessions). */
  cutOff: z.optional(z.boolean()),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;
