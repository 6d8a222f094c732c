import { optionalText } from '../domain/optionalText';
import * as z from '../zod';

const NonEmpty = z.string().check(z.minLength(1));

/** The key and its principal as Security Hub records them; UserName is deprecated in favour of PrincipalName. */
const AwsIamAccessKey = z.object({
  AccessKeyId: optionalText,
  PrincipalId: optionalText,
  PrincipalName: optionalText,
  PrincipalType: optionalText,
  UserName: optionalText,
});

const Resource = z.object({
  Type: NonEmpty,
  /** `AWS::IAM::AccessKey:<key id>`; a trailing `:null` means Security Hub does not know the key. */
  Id: NonEmpty,
  Region: optionalText,
  Details: z.optional(z.object({ AwsIamAccessKey: z.optional(AwsIamAccessKey) })),
});

/** One finding in the AWS Security Finding Format (ASFF): only the fields we read. */
export const AsffFinding = z
  .object({
    Id: NonEmpty,
    ProductArn: NonEmpty,
    ProductName: optionalText,
    AwsAccountId: z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id')),
    Region: optionalText,
    Types: z.optional(z.array(z.string())),
    FirstObservedAt: optionalText,
    LastObservedAt: optionalText,
    CreatedAt: optionalText,
    UpdatedAt: optionalText,
    Severity: z.optional(
      z.object({
        Label: optionalText,
        Normalized: z.optional(z.number()),
        Product: z.optional(z.number()),
        /** A string in the ASFF specification; AWS's own examples also show a number (`"Original": 0`): both are taken. */
        Original: z.optional(z.pipe(z.union([z.string(), z.number()]), z.transform(String))),
      }),
    ),
    Title: optionalText,
    Description: optionalText,
    ProductFields: z.optional(z.record(z.string(), z.string())),
    /**
     * What the finding's provider (GuardDuty) said, which only the provider can change (BatchImportFindings): the
     * top-level Types and Severity are copies any principal allowed BatchUpdateFindings may edit.
     */
    FindingProviderFields: z.optional(
      z.object({
        Types: z.optional(z.array(z.string())),
        Severity: z.optional(
          z.object({ Label: optionalText, Original: z.optional(z.pipe(z.union([z.string(), z.number()]), z.transform(String))) }),
        ),
      }),
    ),
    Resources: z.array(Resource).check(z.minLength(1)),
    /** The last note a customer tool added with BatchUpdateFindings; anyone allowed that call writes its UpdatedBy. */
    Note: z.optional(z.object({ Text: optionalText, UpdatedBy: optionalText, UpdatedAt: optionalText })),
    /** NEW is a finding nobody has looked at yet; every later update re-fires the event with another status. */
    Workflow: z.optional(z.object({ Status: NonEmpty })),
    /** Deprecated predecessor of Workflow.Status, still sent. */
    WorkflowState: optionalText,
    RecordState: optionalText,
  })
  .check(
    z.superRefine((finding, ctx) => {
      // Whether a finding is new decides whether Keystop may act on it: a finding that does not say is malformed.
      if (finding.Workflow === undefined && finding.WorkflowState === undefined) {
        ctx.addIssue({ code: 'custom', path: ['Workflow', 'Status'], message: 'a finding must carry its workflow status' });
      }
    }),
  );
export type AsffFinding = z.infer<typeof AsffFinding>;

const Findings = z.array(AsffFinding).check(z.minLength(1));

/** Security Hub's EventBridge envelope: one event carries a batch of findings. */
export const SecurityHubFindingsEvent = z.object({
  id: NonEmpty,
  'detail-type': z.literal('Security Hub Findings - Imported'),
  source: z.literal('aws.securityhub'),
  account: z.string(),
  region: NonEmpty,
  time: NonEmpty,
  detail: z.object({ findings: Findings }),
});
export type SecurityHubFindingsEvent = z.infer<typeof SecurityHubFindingsEvent>;

/** A responder chose a Security Hub custom action (Keystop's "Keystop: contain") on the selected findings. */
export const SecurityHubCustomActionEvent = z.object({
  id: NonEmpty,
  'detail-type': z.literal('Security Hub Findings - Custom Action'),
  source: z.literal('aws.securityhub'),
  account: z.string(),
  region: NonEmpty,
  time: NonEmpty,
  /** The ActionTarget's ARN. */
  resources: z.optional(z.array(z.string())),
  detail: z.object({ actionName: optionalText, actionDescription: optionalText, findings: Findings }),
});
export type SecurityHubCustomActionEvent = z.infer<typeof SecurityHubCustomActionEvent>;
