import { optionalText } from '../domain/optionalText';
import * as z from '../zod';

const AccountId = z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));
const NonEmpty = z.string().check(z.minLength(1));

/** The caller as CloudTrail records it: type IAMUser | AssumedRole | Root | FederatedUser | AWSService | … */
const UserIdentity = z.object({
  type: optionalText,
  principalId: optionalText,
  arn: optionalText,
  accountId: z.optional(AccountId),
  accessKeyId: optionalText,
  userName: optionalText,
  sessionContext: z.optional(z.object({ sessionIssuer: z.optional(z.object({ type: optionalText, userName: optionalText })) })),
});

/** AWS attaches one of its AWSCompromisedKeyQuarantine policies (V1 to V4 so far) to a user whose key leaked. */
const QUARANTINE_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/AWSCompromisedKeyQuarantine/;

/**
 * The older form: AWS put the quarantine inline on the user (PutUserPolicy) under one of these names, before the
 * managed policies existed. A customer's own deny-all inline policy has another name and is not a signal.
 */
const INLINE_QUARANTINE_POLICY_NAME = /^(AWSCompromisedKeyQuarantine[A-Za-z0-9]*|AWSExposedCredentialPolicy_DO_NOT_REMOVE)$/;

/** Whether a record is AWS quarantining a user, in either form (whether it succeeded is for the caller to check). */
export function isQuarantineCall(record: { eventName: string; requestParameters?: Record<string, unknown> | null }): boolean {
  const parameters = record.requestParameters ?? {};
  if (record.eventName === 'AttachUserPolicy')
    return typeof parameters.policyArn === 'string' && QUARANTINE_POLICY_ARN.test(parameters.policyArn);
  if (record.eventName === 'PutUserPolicy') {
    return typeof parameters.policyName === 'string' && INLINE_QUARANTINE_POLICY_NAME.test(parameters.policyName);
  }
  return false;
}

const CloudTrailRecord = z
  .object({
    userIdentity: UserIdentity,
    eventTime: NonEmpty,
    eventSource: NonEmpty,
    eventName: NonEmpty,
    awsRegion: NonEmpty,
    sourceIPAddress: optionalText,
    userAgent: optionalText,
    errorCode: optionalText,
    requestParameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    /** What the call returned; the tamper guard reads the id of a key CreateAccessKey made. */
    responseElements: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    eventID: NonEmpty,
    recipientAccountId: z.optional(AccountId),
  })
  .check(
    z.superRefine((record, ctx) => {
      // The quarantine event is about the user it names: without that name it says nothing Keystop can use.
      const parameters = record.requestParameters ?? {};
      if (isQuarantineCall(record) && (typeof parameters.userName !== 'string' || parameters.userName === '')) {
        ctx.addIssue({
          code: 'custom',
          path: ['requestParameters', 'userName'],
          message: 'AWS attaching its quarantine policy must name the user',
        });
      }
    }),
  );

/** CloudTrail's management events as EventBridge delivers them; the source is the called service's (aws.iam, aws.s3, …). */
export const CloudTrailApiCallEvent = z.object({
  id: NonEmpty,
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  source: z.string().check(z.startsWith('aws.', 'must be an AWS service source (aws.…)')),
  account: AccountId,
  region: NonEmpty,
  time: NonEmpty,
  detail: CloudTrailRecord,
});
export type CloudTrailApiCallEvent = z.infer<typeof CloudTrailApiCallEvent>;
