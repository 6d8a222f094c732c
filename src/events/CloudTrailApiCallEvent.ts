import * as z from 'zod';
import { optionalText } from './optionalText';

const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');

/** The caller as CloudTrail records it: type IAMUser | AssumedRole | Root | FederatedUser | AWSService | … */
const UserIdentity = z.object({
  type: optionalText,
  principalId: optionalText,
  arn: optionalText,
  accountId: AccountId.optional(),
  accessKeyId: optionalText,
  userName: optionalText,
  sessionContext: z
    .object({ sessionIssuer: z.object({ type: optionalText, userName: optionalText }).optional() })
    .optional(),
});

/** AWS attaches one of its AWSCompromisedKeyQuarantine policies (V1 to V4 so far) to a user whose key leaked. */
export const QUARANTINE_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/AWSCompromisedKeyQuarantine/;

export const CloudTrailRecord = z
  .object({
    userIdentity: UserIdentity,
    eventTime: z.string().min(1),
    eventSource: z.string().min(1),
    eventName: z.string().min(1),
    awsRegion: z.string().min(1),
    sourceIPAddress: optionalText,
    userAgent: optionalText,
    errorCode: optionalText,
    requestParameters: z.record(z.string(), z.unknown()).nullable().optional(),
    eventID: z.string().min(1),
    recipientAccountId: AccountId.optional(),
  })
  .superRefine((record, ctx) => {
    // The quarantine event is about the user it names: without that name it says nothing Keystop can use.
    const parameters = record.requestParameters ?? {};
    if (
      record.eventName === 'AttachUserPolicy' &&
      typeof parameters.policyArn === 'string' &&
      QUARANTINE_POLICY_ARN.test(parameters.policyArn) &&
      (typeof parameters.userName !== 'string' || parameters.userName === '')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['requestParameters', 'userName'],
        message: 'AWS attaching its quarantine policy must name the user',
      });
    }
  });
export type CloudTrailRecord = z.infer<typeof CloudTrailRecord>;

/** CloudTrail's management events as EventBridge delivers them; the source is the called service's (aws.iam, aws.s3, …). */
export const CloudTrailApiCallEvent = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  source: z.string().startsWith('aws.', 'must be an AWS service source (aws.…)'),
  account: AccountId,
  region: z.string().min(1),
  time: z.string().min(1),
  detail: CloudTrailRecord,
});
export type CloudTrailApiCallEvent = z.infer<typeof CloudTrailApiCallEvent>;
