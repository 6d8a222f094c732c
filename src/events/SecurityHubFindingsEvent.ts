import * as z from 'zod';
import { optionalText } from './optionalText';

/** The key and its principal as Security Hub records them; UserName is deprecated in favour of PrincipalName. */
const AwsIamAccessKey = z.object({
  AccessKeyId: optionalText,
  PrincipalId: optionalText,
  PrincipalName: optionalText,
  PrincipalType: optionalText,
  UserName: optionalText,
});

const Resource = z.object({
  Type: z.string().min(1),
  /** `AWS::IAM::AccessKey:<key id>`; a trailing `:null` means Security Hub does not know the key. */
  Id: z.string().min(1),
  Region: optionalText,
  Details: z.object({ AwsIamAccessKey: AwsIamAccessKey.optional() }).optional(),
});

/** One finding in the AWS Security Finding Format (ASFF): only the fields we read. */
export const AsffFinding = z
  .object({
    Id: z.string().min(1),
    ProductArn: z.string().min(1),
    ProductName: optionalText,
    AwsAccountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    Region: optionalText,
    Types: z.array(z.string()).optional(),
    FirstObservedAt: optionalText,
    LastObservedAt: optionalText,
    CreatedAt: optionalText,
    UpdatedAt: optionalText,
    Severity: z
      .object({
        Label: optionalText,
        Normalized: z.number().optional(),
        Product: z.number().optional(),
        /** A string in the ASFF specification; AWS's own examples also show a number (`"Original": 0`): both are taken. */
        Original: z.union([z.string(), z.number()]).transform(String).optional(),
      })
      .optional(),
    Title: optionalText,
    Description: optionalText,
    ProductFields: z.record(z.string(), z.string()).optional(),
    Resources: z.array(Resource).min(1),
    /** The last note a customer tool added with BatchUpdateFindings (Keystop writes UpdatedBy `keystop`). */
    Note: z.object({ Text: optionalText, UpdatedBy: optionalText, UpdatedAt: optionalText }).optional(),
    /** NEW is a finding nobody has looked at yet; every later update re-fires the event with another status. */
    Workflow: z.object({ Status: z.string().min(1) }).optional(),
    /** Deprecated predecessor of Workflow.Status, still sent. */
    WorkflowState: optionalText,
    RecordState: optionalText,
  })
  .superRefine((finding, ctx) => {
    // Whether a finding is new decides whether Keystop may act on it: a finding that does not say is malformed.
    if (finding.Workflow === undefined && finding.WorkflowState === undefined) {
      ctx.addIssue({ code: 'custom', path: ['Workflow', 'Status'], message: 'a finding must carry its workflow status' });
    }
  });
export type AsffFinding = z.infer<typeof AsffFinding>;

/** Security Hub's EventBridge envelope: one event carries a batch of findings. */
export const SecurityHubFindingsEvent = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('Security Hub Findings - Imported'),
  source: z.literal('aws.securityhub'),
  account: z.string(),
  region: z.string().min(1),
  time: z.string().min(1),
  detail: z.object({ findings: z.array(AsffFinding).min(1) }),
});
export type SecurityHubFindingsEvent = z.infer<typeof SecurityHubFindingsEvent>;

/** A responder chose a Security Hub custom action (Keystop's "Keystop: contain") on the selected findings. */
export const SecurityHubCustomActionEvent = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('Security Hub Findings - Custom Action'),
  source: z.literal('aws.securityhub'),
  account: z.string(),
  region: z.string().min(1),
  time: z.string().min(1),
  /** The ActionTarget's ARN. */
  resources: z.array(z.string()).optional(),
  detail: z.object({ actionName: optionalText, actionDescription: optionalText, findings: z.array(AsffFinding).min(1) }),
});
export type SecurityHubCustomActionEvent = z.infer<typeof SecurityHubCustomActionEvent>;
