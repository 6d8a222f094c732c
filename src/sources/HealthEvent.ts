import { optionalText } from '../domain/optionalText';
import * as z from '../zod';

const AccountId = z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));
const NonEmpty = z.string().check(z.minLength(1));

/** The fields of an AWS Health event we read. Only RISK events name credentials. */
const HealthEventDetail = z.object({
  eventArn: NonEmpty,
  service: NonEmpty,
  eventTypeCode: NonEmpty,
  eventTypeCategory: optionalText,
  communicationId: optionalText,
  /** RFC 1123 ("Wed, 12 Feb 2025 00:37:54 GMT"), not ISO 8601, like lastUpdatedTime. */
  startTime: optionalText,
  lastUpdatedTime: optionalText,
  /** "global" for the credential events, which arrive in us-east-1 and, marked as backup, in us-west-2. */
  eventRegion: optionalText,
  eventDescription: z.optional(z.array(z.object({ latestDescription: optionalText }))),
  /** The current shape: the key and its user by name. The minimal shape has none of it. */
  eventMetadata: z.optional(
    z.object({
      publicKey: optionalText,
      userName: optionalText,
      accountId: z.optional(AccountId),
      exposedUrl: optionalText,
    }),
  ),
  affectedEntities: z.optional(z.array(z.object({ entityValue: optionalText }))),
  /** In an organization view, the member account the event is about. */
  affectedAccount: z.optional(AccountId),
  backupEvent: z.optional(z.boolean()),
});

/** The EventBridge envelope of an AWS Health event. */
export const HealthEvent = z.object({
  id: NonEmpty,
  'detail-type': z.literal('AWS Health Event'),
  source: z.literal('aws.health'),
  account: AccountId,
  region: NonEmpty,
  time: NonEmpty,
  resources: z.optional(z.array(z.string())),
  detail: HealthEventDetail,
});
export type HealthEvent = z.infer<typeof HealthEvent>;
