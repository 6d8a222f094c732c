import { optionalText } from '../domain/optionalText';
import * as z from '../zod';

const NonEmpty = z.string().check(z.minLength(1));
const AccountId = z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));
const OptionalString = z.optional(z.string());

/** The fields of GuardDuty's accessKeyDetails we read. userType: IAMUser | AssumedRole | Root | FederatedUser. */
const AccessKeyDetails = z.object({
  accessKeyId: z.optional(NonEmpty),
  principalId: optionalText,
  userName: optionalText,
  userType: NonEmpty,
});

const RemoteIpDetails = z.optional(
  z.object({
    ipAddressV4: OptionalString,
    ipAddressV6: OptionalString,
    country: z.optional(z.object({ countryName: OptionalString })),
    city: z.optional(z.object({ cityName: OptionalString })),
    organization: z.optional(z.object({ asnOrg: OptionalString, isp: OptionalString, org: OptionalString })),
  }),
);

/**
 * Extended Threat Detection's attack sequences name no accessKeyDetails: the credentials used are those of the
 * sequence's actors (user.credentialUid is the access key id, user.type the principal type, user.name its name).
 */
const SequenceActor = z.object({
  user: z.optional(
    z.object({
      name: optionalText,
      uid: optionalText,
      type: optionalText,
      credentialUid: optionalText,
      account: z.optional(z.object({ uid: z.optional(AccountId) })),
    }),
  ),
});

const Service = z.optional(
  z.object({
    count: z.optional(z.number()),
    eventFirstSeen: OptionalString,
    eventLastSeen: optionalText,
    detection: z.optional(z.object({ sequence: z.optional(z.object({ actors: z.optional(z.array(SequenceActor)) })) })),
    additionalInfo: z.optional(z.object({ sample: z.optional(z.union([z.boolean(), z.literal('true'), z.literal('false')])) })),
    action: z.optional(
      z.object({
        awsApiCallAction: z.optional(
          z.object({
            api: OptionalString,
            serviceName: OptionalString,
            userAgent: z.optional(z.object({ fullUserAgent: OptionalString })),
            remoteIpDetails: RemoteIpDetails,
          }),
        ),
      }),
    ),
  }),
);

export const GuardDutyFinding = z
  .object({
    id: NonEmpty,
    arn: optionalText,
    type: NonEmpty,
    severity: z.number().check(z.gte(0), z.lte(10)),
    accountId: AccountId,
    region: NonEmpty,
    title: optionalText,
    description: optionalText,
    createdAt: optionalText,
    updatedAt: optionalText,
    resource: z.object({
      resourceType: NonEmpty,
      accessKeyDetails: z.optional(AccessKeyDetails),
    }),
    service: Service,
  })
  .check(
    z.superRefine((finding, ctx) => {
      // Every IAM finding names its principal in accessKeyDetails; AttackSequence findings have another shape.
      if (
        finding.resource.resourceType === 'AccessKey' &&
        !finding.type.startsWith('AttackSequence:') &&
        finding.resource.accessKeyDetails === undefined
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['resource', 'accessKeyDetails'],
          message: 'an AccessKey finding must carry accessKeyDetails',
        });
      }
    }),
  );
export type GuardDutyFinding = z.infer<typeof GuardDutyFinding>;

/** The EventBridge envelope of a GuardDuty finding. */
export const GuardDutyFindingEvent = z.object({
  id: NonEmpty,
  'detail-type': z.literal('GuardDuty Finding'),
  source: z.literal('aws.guardduty'),
  account: z.string(),
  region: z.string(),
  time: z.string(),
  detail: GuardDutyFinding,
});
export type GuardDutyFindingEvent = z.infer<typeof GuardDutyFindingEvent>;
