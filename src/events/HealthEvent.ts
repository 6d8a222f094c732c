import * as z from 'zod';
import { optionalText } from './optionalText';

const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');

/** The fields of an AWS Health event we read. Only RISK events name credentials. */
const HealthEventDetail = z.object({
  eventArn: z.string().min(1),
  service: z.string().min(1),
  eventTypeCode: z.string().min(1),
  eventTypeCategory: optionalText,
  communicationId: optionalText,
  /** RFC 1123 ("Wed, 12 Feb 2025 00:37:54 GMT"), not ISO 8601, like lastUpdatedTime. */
  startTime: optionalText,
  lastUpdatedTime: optionalText,
  /** "global" for the credential events, which arrive in us-east-1 and, marked as backup, in us-west-2. */
  eventRegion: optionalText,
  eventDescription: z.array(z.object({ latestDescription: optionalText })).optional(),
  /** The current shape: the key and its user by name. The minimal shape has none of it. */
  eventMetadata: z
    .object({
      publicKey: optionalText,
      userName: optionalText,
      accountId: AccountId.optional(),
      exposedUrl: optionalText,
    })
    .optional(),
  affectedEntities: z.array(z.object({ entityValue: optionalText })).optional(),
  /** In an organization view, the member account the event is about. */
  affectedAccount: AccountId.optional(),
  backupEvent: z.boolean().optional(),
});

/** The EventBridge envelope of an AWS Health event. */
export const HealthEvent = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('AWS Health Event'),
  source: z.literal('aws.health'),
  account: AccountId,
  region: z.string().min(1),
  time: z.string().min(1),
  resources: z.array(z.string()).optional(),
  detail: HealthEventDetail,
});
export type HealthEvent = z.infer<typeof HealthEvent>;
