import * as z from 'zod';
import { optionalText } from './optionalText';

/** The fields of GuardDuty's accessKeyDetails we read. userType: IAMUser | AssumedRole | Root | FederatedUser. */
const AccessKeyDetails = z.object({
  accessKeyId: z.string().min(1).optional(),
  principalId: optionalText,
  userName: optionalText,
  userType: z.string().min(1),
});

const RemoteIpDetails = z
  .object({
    ipAddressV4: z.string().optional(),
    ipAddressV6: z.string().optional(),
    country: z.object({ countryName: z.string().optional() }).optional(),
    city: z.object({ cityName: z.string().optional() }).optional(),
    organization: z.object({ asnOrg: z.string().optional(), isp: z.string().optional(), org: z.string().optional() }).optional(),
  })
  .optional();

/**
 * Extended Threat Detection's attack sequences name no accessKeyDetails: the credentials used are those of the
 * sequence's actors (user.credentialUid is the access key id, user.type the principal type, user.name its name).
 */
const SequenceActor = z.object({
  user: z
    .object({
      name: optionalText,
      uid: optionalText,
      type: optionalText,
      credentialUid: optionalText,
      account: z
        .object({
          uid: z
            .string()
            .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

const Service = z
  .object({
    count: z.number().optional(),
    eventFirstSeen: z.string().optional(),
    eventLastSeen: optionalText,
    detection: z.object({ sequence: z.object({ actors: z.array(SequenceActor).optional() }).optional() }).optional(),
    additionalInfo: z.object({ sample: z.union([z.boolean(), z.literal('true'), z.literal('false')]).optional() }).optional(),
    action: z
      .object({
        awsApiCallAction: z
          .object({
            api: z.string().optional(),
            serviceName: z.string().optional(),
            userAgent: z.object({ fullUserAgent: z.string().optional() }).optional(),
            remoteIpDetails: RemoteIpDetails,
          })
          .optional(),
      })
      .optional(),
  })
  .optional();

export const GuardDutyFinding = z
  .object({
    id: z.string().min(1),
    arn: optionalText,
    type: z.string().min(1),
    severity: z.number().min(0).max(10),
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    region: z.string().min(1),
    title: optionalText,
    description: optionalText,
    createdAt: optionalText,
    updatedAt: optionalText,
    resource: z.object({
      resourceType: z.string().min(1),
      accessKeyDetails: AccessKeyDetails.optional(),
    }),
    service: Service,
  })
  .superRefine((finding, ctx) => {
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
  });
export type GuardDutyFinding = z.infer<typeof GuardDutyFinding>;

/** The EventBridge envelope of a GuardDuty finding. */
export const GuardDutyFindingEvent = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('GuardDuty Finding'),
  source: z.literal('aws.guardduty'),
  account: z.string(),
  region: z.string(),
  time: z.string(),
  detail: GuardDutyFinding,
});
export type GuardDutyFindingEvent = z.infer<typeof GuardDutyFindingEvent>;
