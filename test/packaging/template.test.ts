import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CreateEventBusCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import { unwrapEvents } from '../../src/cli/input/unwrapEvents';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { guardPermissions, requiredPermissions } from '../../src/decide/requiredPermissions';
import { createAlertSink } from '../../src/local/createAlertSink';
import { localClients } from '../../src/local/localClients';
import { OFFENSIVE_USER_AGENTS } from '../../src/sources/fromOffensiveUserAgent';
import { KEYSTOP_CONTAIN_ACTION_ID } from '../../src/sources/fromSecurityHubAction';
import { GUARDED_CALLS } from '../../src/sources/fromTamper';
import { REMEMBERED_CALLS } from '../../src/sources/madeBy';
import { loadFixture } from '../support/loadFixture';
import { awsEndpoint } from '../support/localAws';
import { lambdaEnvironment, type PackagedFunction, packagedFunctions, unpack } from '../support/packagedFunctions';
import { actionsOf, type CfnTemplate, packageTemplate, resourcesOfType, statementsOf } from '../support/packageTemplate';

let template: CfnTemplate;
let functions: PackagedFunction[];

beforeAll(async () => {
  let dir: string;
  ({ template, dir } = await packageTemplate());
  functions = await packagedFunctions(template, dir);
}, 120_000);

/** Every function, the one role it runs with, the source its incidents come from, and the patterns that invoke it. */
const responders = [
  {
    name: 'guardduty',
    source: 'guardduty',
    fn: 'GuarddutyLambdaFunction',
    role: 'GuardDutyResponderRole',
    patterns: [
      {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { resource: { resourceType: ['AccessKey'] } },
      },
    ],
  },
  {
    name: 'securityhub',
    source: 'security-hub',
    fn: 'SecurityhubLambdaFunction',
    role: 'SecurityHubResponderRole',
    patterns: [
      {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Imported'],
        detail: {
          findings: {
            ProductName: ['GuardDuty'],
            Resources: { Type: ['AwsIamAccessKey'] },
            Workflow: { Status: ['NEW'] },
            RecordState: ['ACTIVE'],
          },
        },
      },
    ],
  },
  {
    name: 'health',
    source: 'health',
    fn: 'HealthLambdaFunction',
    role: 'HealthResponderRole',
    patterns: [
      {
        source: ['aws.health'],
        'detail-type': ['AWS Health Event'],
        detail: { service: ['RISK'], eventTypeCode: [{ prefix: 'AWS_RISK_CREDENTIALS_' }, 'AWS_RISK_IAM_QUARANTINE'] },
      },
    ],
  },
  {
    name: 'cloudtrail',
    source: 'cloudtrail',
    fn: 'CloudtrailLambdaFunction',
    role: 'CloudTrailResponderRole',
    patterns: [
      {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['iam.amazonaws.com'],
          eventName: ['AttachUserPolicy'],
          requestParameters: { policyArn: [{ prefix: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine' }] },
        },
      },
      {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['iam.amazonaws.com'],
          eventName: ['PutUserPolicy'],
          requestParameters: { policyName: [{ prefix: 'AWSCompromisedKeyQuarantine' }, 'AWSExposedCredentialPolicy_DO_NOT_REMOVE'] },
        },
      },
      // The honey keys, split from the deployment's honeyKeys parameter (empty by default: see the test below); only
      // events AWS itself emits (PutEvents refuses "aws." sources), so no one can forge a honey key's use.
      {
        source: [{ prefix: 'aws.' }],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { userIdentity: { accessKeyId: { 'Fn::Split': [',', ''] } } },
      },
      // Offensive tools' user agents: the adapter's own substrings (src/sources/fromOffensiveUserAgent.ts), from the
      // deployment's accounts only (test/packaging/deployments.test.ts resolves the condition per configuration).
      {
        source: [{ prefix: 'aws.' }],
        account: {
          'Fn::If': [
            'EveryMemberAccount',
            { Ref: 'AWS::NoValue' },
            {
              'Fn::If': [
                'HasMemberAccounts',
                { 'Fn::Split': [',', { 'Fn::Join': [',', [{ Ref: 'AWS::AccountId' }, '']] }] },
                [{ Ref: 'AWS::AccountId' }],
              ],
            },
          ],
        },
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          userIdentity: { accessKeyId: [{ exists: true }] },
          userAgent: OFFENSIVE_USER_AGENTS.flatMap((tool) => tool.substrings.map((s) => ({ wildcard: `*${s}*` }))),
        },
      },
    ],
  },
  {
    // Security Hub's "Keystop: contain" custom action: only this stack's action target.
    name: 'approve',
    source: 'approved',
    fn: 'ApproveLambdaFunction',
    role: 'ApproveResponderRole',
    patterns: [
      {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Custom Action'],
        resources: [{ 'Fn::GetAtt': ['KeystopContainAction', 'ActionTargetArn'] }],
      },
    ],
  },
  {
    // The tamper guard: only IAM's calls that can undo a containment; its permissions are what restoring needs.
    name: 'guard',
    source: 'guard',
    fn: 'GuardLambdaFunction',
    role: 'GuardResponderRole',
    patterns: [
      {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['iam.amazonaws.com'], eventName: ['UpdateAccessKey'], requestParameters: { status: ['Active'] } },
      },
      {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['iam.amazonaws.com'],
          eventName: ['DeleteUserPolicy', 'DeleteRolePolicy', 'PutUserPolicy', 'PutRolePolicy'],
          requestParameters: { policyName: [REVOKE_POLICY_NAME] },
        },
      },
      {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['iam.amazonaws.com'], eventName: ['CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile'] },
      },
      // What a long-term key made, remembered in the creation log (src/sources/madeBy.ts).
      {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['iam.amazonaws.com'],
          eventName: [
            'CreateUser',
            'UpdateUser',
            'CreateRole',
            'AttachUserPolicy',
            'AttachRolePolicy',
            'AttachGroupPolicy',
            'PutGroupPolicy',
          ],
          userIdentity: { accessKeyId: [{ prefix: 'AKIA' }] },
        },
      },
      {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['iam.amazonaws.com'],
          eventName: ['PutUserPolicy', 'PutRolePolicy'],
          requestParameters: { policyName: [{ 'anything-but': REVOKE_POLICY_NAME }] },
          userIdentity: { accessKeyId: [{ prefix: 'AKIA' }] },
        },
      },
    ],
  },
] as const;

const rulesTargeting = (fn: string) =>
  resourcesOfType(template, 'AWS::Events::Rule')
    .map(([, rule]) => rule)
    .filter((rule) => rule.Properties.Targets.some((t: any) => t.Arn?.['Fn::GetAtt']?.[0] === fn));

describe('Packaged CloudFormation (osls package)', () => {
  it('has EventBridge rules for the responders listed here and the alarm publisher, and no other function', () => {
    const targets = resourcesOfType(template, 'AWS::Events::Rule').flatMap(([, rule]) =>
      rule.Properties.Targets.map((t: any) => t.Arn['Fn::GetAtt'][0]),
    );

    // The alarm publisher's rule and role: test/packaging/observability.test.ts.
    expect(new Set(targets)).toEqual(new Set([...responders.map((r) => r.fn), 'AlarmsLambdaFunction']));
  });

  it('subscribes the tamper guard to exactly the IAM calls its adapter reads: the guarded ones and the creations it remembers', () => {
    const guard = responders.find((r) => r.name === 'guard')!;
    const names = guard.patterns.flatMap((p) => [...p.detail.eventName]);

    expect(new Set(names)).toEqual(new Set([...GUARDED_CALLS, ...REMEMBERED_CALLS]));
  });

  it("hears of the creations only from calls made with a long-term key, and never of Keystop's own deny policy twice", () => {
    const guard = responders.find((r) => r.name === 'guard')!;
    const remembering = guard.patterns.filter((p) => (p.detail as any).userIdentity !== undefined);

    expect(remembering.map((p) => (p.detail as any).userIdentity)).toEqual([
      { accessKeyId: [{ prefix: 'AKIA' }] },
      { accessKeyId: [{ prefix: 'AKIA' }] },
    ]);
    expect(remembering.flatMap((p) => [...p.detail.eventName]).filter((n) => (GUARDED_CALLS as readonly string[]).includes(n))).toEqual([
      'PutUserPolicy',
      'PutRolePolicy',
    ]);
    expect((remembering[1]!.detail as any).requestParameters).toEqual({ policyName: [{ 'anything-but': REVOKE_POLICY_NAME }] });
  });

  it('creates the "Keystop: contain" custom action in Security Hub, within its limits (name 20, description 32 characters)', () => {
    const action = template.Resources.KeystopContainAction!;

    expect(action.Type).toBe('AWS::SecurityHub::ActionTarget');
    // Only with securityHubAction (test/packaging/deployments.test.ts): it fails the deploy where Security Hub is off.
    expect((action as any).Condition).toBe('SecurityHubActionOn');
    expect((action as any).Metadata['cfn-lint'].config.ignore_checks).toEqual(['E3006']);
    expect(action.Properties).toEqual({ Name: 'Keystop: contain', Description: 'Contain with Keystop', Id: KEYSTOP_CONTAIN_ACTION_ID });
    expect(action.Properties.Name.length).toBeLessThanOrEqual(20);
    expect(action.Properties.Description.length).toBeLessThanOrEqual(32);
  });

  it("receives read-only calls on the rules whose evidence may be one (an attacker's first call: sts:GetCallerIdentity)", () => {
    expect(template.Resources.OffensiveUserAgentRule!.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });

  it('creates the honey-key rule, and its permission to invoke, only when honey keys are configured', () => {
    const rule = template.Resources.HoneyKeyUseRule!;
    const permission = template.Resources.HoneyKeyUseRulePermission!;

    expect((template as any).Conditions.HasHoneyKeys).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    expect((rule as any).Condition).toBe('HasHoneyKeys');
    expect((permission as any).Condition).toBe('HasHoneyKeys');
    expect(permission.Properties).toMatchObject({
      FunctionName: { 'Fn::GetAtt': ['CloudtrailLambdaFunction', 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': ['HoneyKeyUseRule', 'Arn'] },
    });
    // The adapter checks the same list again: a rule that delivered another key's calls would change nothing.
    expect(template.Resources.CloudtrailLambdaFunction!.Properties.Environment.Variables.KEYSTOP_HONEY_KEYS).toBe('');
  });

  it("delivers AWS's quarantine in both forms (managed attach, inline put) through the CloudTrail rules, and not a customer's own deny-all", async () => {
    // The packaged patterns, on the emulator's EventBridge, fed the real records Panther publishes for these cases.
    const clients = localClients(awsEndpoint());
    const events = await clients.eventsClient();
    const bus = `keystop-rules-${Date.now()}`;
    await events.send(new CreateEventBusCommand({ Name: bus }));
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: bus }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const patterns = rulesTargeting('CloudtrailLambdaFunction')
      .map((rule) => rule.Properties.EventPattern)
      .filter((p) => p.source?.[0] === 'aws.iam');
    expect(patterns).toHaveLength(2);
    for (const [index, pattern] of patterns.entries()) {
      await events.send(new PutRuleCommand({ Name: `${bus}-${index}`, EventBusName: bus, EventPattern: JSON.stringify(pattern) }));
      await events.send(
        new PutTargetsCommand({ Rule: `${bus}-${index}`, EventBusName: bus, Targets: [{ Id: 'q', Arn: Attributes!.QueueArn }] }),
      );
    }
    const records = [
      'panther-cloudtrail-attach-quarantine-v2.json',
      'panther-cloudtrail-put-inline-quarantine-v3.json',
      'panther-cloudtrail-put-own-deny-all.json',
    ];
    for (const name of records) {
      const unwrapped = unwrapEvents(loadFixture(`real/${name}`));
      if (unwrapped.kind !== 'events') throw new Error(`${name}: ${unwrapped.reason}`);
      const event = unwrapped.events[0]!.event as Record<string, any>;
      await events.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: bus, Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) }],
        }),
      );
    }

    const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const delivered = Messages.map((m) => JSON.parse(m.Body!).detail.eventName as string).sort();
    expect(delivered).toEqual(['AttachUserPolicy', 'PutUserPolicy']);
    expect(Messages.map((m) => JSON.parse(m.Body!).detail.requestParameters.policyName).filter(Boolean)).toEqual([
      'AWSCompromisedKeyQuarantineV3',
    ]);
  });

  describe.each(responders)('function $name', ({ name, source, fn, role, patterns }) => {
    it('is subscribed only to its narrow patterns, with failed deliveries kept in the failure queue', () => {
      const rules = rulesTargeting(fn);

      expect(rules.map((rule) => rule.Properties.EventPattern)).toHaveLength(patterns.length);
      expect(rules.map((rule) => rule.Properties.EventPattern)).toEqual(expect.arrayContaining([...patterns]));
      for (const rule of rules) {
        expect(rule.Properties.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] });
      }
    });

    it('runs on a supported Node.js runtime with a role of its own', () => {
      const lambda = template.Resources[fn]!;
      expect(lambda.Properties.Runtime).toBe('nodejs24.x');
      expect(lambda.Properties.Role).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
      expect(lambda.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
      expect(responders.filter((r) => r.role === role)).toHaveLength(1);
    });

    it('sends events that failed every retry to the failure queue', () => {
      const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').filter(([, c]) => c.Properties.FunctionName?.Ref === fn);
      expect(configs).toHaveLength(1);
      expect(configs[0]![1].Properties.DestinationConfig.OnFailure.Destination).toEqual({
        'Fn::GetAtt': ['FailedEventsQueue', 'Arn'],
      });
    });

    it('grants no wildcard action, writes only its own logs, and publishes only to the alert topic', () => {
      const statements = statementsOf(template, role);
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        for (const action of actionsOf(statement)) expect(action).not.toContain('*');
      }
      const logs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(logs.map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringContaining(`/aws/lambda/keystop-prod-${name}:*`)]);
      const publish = statements.filter((s) => actionsOf(s).includes('sns:Publish'));
      expect(publish).toEqual([expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: 'AlertTopic' } })]);
    });

    it('may look up key activity, publish audit events only as source keystop on the audit bus, and note Security Hub findings', () => {
      const statements = statementsOf(template, role);
      const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));

      expect(bySid.KeyActivity).toMatchObject({ Action: 'cloudtrail:LookupEvents', Resource: '*' });
      expect(bySid.AuditEvents).toMatchObject({
        Action: 'events:PutEvents',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default' },
        Condition: { StringEquals: { 'events:source': 'keystop' } },
      });
      expect(bySid.FindingNotes).toMatchObject({
        Action: 'securityhub:BatchUpdateFindings',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:hub/default' },
      });
      // "*" only where AWS allows nothing narrower.
      for (const s of statements) if (s.Resource === '*') expect(actionsOf(s)).toEqual(['cloudtrail:LookupEvents']);
    });

    it('configures alerts, the audit bus and the activity lookup through the environment, as a valid configuration', () => {
      const env = template.Resources[fn]!.Properties.Environment.Variables;

      expect(env).toMatchObject({
        KEYSTOP_AUDIT_BUS: 'default',
        KEYSTOP_CHATBOT_FORMAT: 'false',
        KEYSTOP_ACTIVITY_LOOKUP: 'true',
        KEYSTOP_ACTIVITY_WINDOW_HOURS: '24',
        KEYSTOP_ACTIVITY_REGIONS: '',
        KEYSTOP_ACTIVITY_MAX_PAGES: '10',
        KEYSTOP_ACTIVITY_TIME_LIMIT_MS: '10000',
        KEYSTOP_ACTIVITY_INLINE_WAIT_MS: '3000',
      });
    });

    it("grants exactly the IAM permissions its policies' actions declare, scoped to users and roles", () => {
      const statements = statementsOf(template, role);
      const granted = statements.flatMap(actionsOf).filter((a) => a.startsWith('iam:'));

      expect(granted.sort()).toEqual(source === 'guard' ? guardPermissions() : requiredPermissions(defaultPolicies, source));
      for (const statement of statements.filter((s) => actionsOf(s).some((a) => a.startsWith('iam:')))) {
        const onRoles = actionsOf(statement).every((a) => /Role/.test(a));
        const onUsers = actionsOf(statement).every((a) => !/Role/.test(a));
        expect(onRoles || onUsers).toBe(true);
        expect(statement.Resource).toEqual({
          'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${onRoles ? 'role' : 'user'}/*`,
        });
      }
    });
  });
});

describe('Packaged function bundles', () => {
  // Cold start grows with the code Node has to parse; the budget is 550 KB (1 KB = 1,000 bytes) per function.
  // A plain `import { z } from 'zod'` alone adds ~260 KB of zod's locales: src/ imports zod as `import * as z from './zod'`.
  it('keeps every function within 550 KB of minified code', () => {
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.bundle.size, `${fn.name} bundle`).toBeLessThanOrEqual(550_000);
    }
  });

  // zod's classic API gives every schema dozens of methods at construction and brings ~65 KB more to parse: src/zod.ts.
  it("carries zod's mini API only, never the classic one", () => {
    for (const fn of functions) {
      const code = fn.bundle.content.toString('utf8');
      expect(code, `${fn.name} bundle`).toContain('"ZodMiniObject"');
      expect(code.match(/"Zod(Type|String|Object)"/g), `${fn.name} bundle`).toBeNull();
    }
  });

  it('ships each bundle with its source map, for readable stack traces', () => {
    for (const fn of functions) {
      expect(fn.files.map((f) => f.name)).toContain(`${fn.bundle.name}.map`);
    }
  });

  it('loads each bundle in a fresh Node process with the environment Lambda gives it', async () => {
    for (const fn of functions) {
      const file = await unpack(fn, await mkdtemp(join(tmpdir(), `keystop-${fn.name}-`)));
      const script = `const m = await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(typeof m.${fn.exportName});`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH, ...lambdaEnvironment(template, fn) },
      });
      expect(stdout.trim(), `${fn.name} exports ${fn.exportName}`).toBe('function');
    }
  });

  it('signs its calls with the credentials Lambda puts in the environment (the only credential source bundled)', async () => {
    const fn = functions.find((f) => f.name === 'guardduty')!;
    const sink = await createAlertSink(localClients(awsEndpoint()));
    const file = await unpack(fn, await mkdtemp(join(tmpdir(), `keystop-${fn.name}-`)));
    const event = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'examples', 'guardduty-sample-finding.json'), 'utf8'));
    const script =
      `const m = await import(${JSON.stringify(pathToFileURL(file).href)});` +
      `const [r] = await m.${fn.exportName}(${JSON.stringify(event)}, { functionName: 'keystop-guardduty', awsRequestId: 'r1', getRemainingTimeInMillis: () => 30000 });` +
      'console.log(r.outcome);';
    const env = { ...lambdaEnvironment(template, fn), AWS_ENDPOINT_URL: awsEndpoint(), KEYSTOP_ALERT_TOPIC_ARN: sink.topicArn };

    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, ...env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });

    // A sample finding is only alerted on: the alert reached the topic, so the publish was signed and accepted.
    // Before the result, the bundle wrote its metrics to stdout as Lambda would (EMF lines, namespace Keystop).
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('notified');
    const emf = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(emf.map((line) => line._aws.CloudWatchMetrics[0].Namespace)).toContain('Keystop');
    expect(emf.find((line) => 'Responses' in line)).toMatchObject({ Outcome: 'notified', Reason: 'sample-finding', Stage: 'prod' });
    expect((await sink.drain()).map((alert) => alert.document.response.reason)).toEqual(['sample-finding']);
  });
});
