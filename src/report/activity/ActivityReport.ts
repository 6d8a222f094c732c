import * as z from '../../zod';

const OptionalString = z.optional(z.string());
const Count = z.number().check(z.int());

/**
 * What a credential did, as far as CloudTrail's event history says: the summary that alerts and audit events carry.
 * A zod schema because it is part of the published alert and audit schemas (docs/alert-schema.md).
 */
export const NotableCall = z.object({
  time: z.string(),
  /** `service:Action`, e.g. `iam:CreateUser`. */
  name: z.string(),
  region: z.string(),
  sourceIp: OptionalString,
  /** Set when the call was refused (e.g. `AccessDenied`): the attacker tried. */
  errorCode: OptionalString,
  /** What it acted on, from the request: a user, role, policy or key. */
  target: OptionalString,
});
export type NotableCall = z.infer<typeof NotableCall>;

export const ActivitySummary = z.object({
  /** `complete`: every page in the window was read; `partial`: the page cap or the time limit stopped the lookup. */
  status: z.enum(['complete', 'partial']),
  /** Why a partial lookup stopped. */
  stoppedBy: z.optional(z.enum(['page-cap', 'time-limit'])),
  accessKeyId: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  regions: z.array(z.string()),
  /** Regions whose lookup failed, with the error, while others answered. */
  regionErrors: z.array(z.object({ region: z.string(), error: z.string() })),
  pagesRead: Count,
  eventCount: Count,
  firstSeen: OptionalString,
  lastSeen: OptionalString,
  /** API calls by name (`iam:CreateUser`), most frequent first, at most 20. */
  calls: z.array(z.object({ name: z.string(), count: Count })).check(z.maxLength(20)),
  /** Source IP addresses (or AWS service names), most frequent first, at most 10. */
  sourceIps: z.array(z.object({ ip: z.string(), count: Count })).check(z.maxLength(10)),
  /** The calls that matter most (persistence, privilege escalation, evasion), oldest first, at most 20. */
  notable: z.array(NotableCall).check(z.maxLength(20)),
});
export type ActivitySummary = z.infer<typeof ActivitySummary>;

const ActivityUnknown = z.object({
  /**
   * `pending`: the lookup is still running when the first alert goes out (its result follows in a second message);
   * `unavailable`: no lookup is possible here (switched off, the emulator lacks it, or not permitted);
   * `failed`: the lookup was attempted and failed; `not-applicable`: nothing to look up (no key id, a sample finding).
   */
  status: z.enum(['pending', 'unavailable', 'failed', 'not-applicable']),
  reason: z.string(),
});

export const ActivityReport = z.union([ActivitySummary, ActivityUnknown]);
export type ActivityReport = z.infer<typeof ActivityReport>;
