import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { requiredPermissions } from '../../src/decide/requiredPermissions';
import { incidentSources } from '../../src/domain/CredentialIncident';
import { iamWritesAllowed, isAllowed, type PolicyStatement, substitute } from '../support/evaluatePolicy';
import {
  actionsOf,
  type CfnTemplate,
  ORGANISATION_PARAMS,
  ORGANISATION_SETTINGS,
  packageTemplate,
  resourcesOfType,
  statementsOf,
} from '../support/packageTemplate';
import { resolveConditions } from '../support/resolveConditions';

const MEMBER_ROLE = ORGANISATION_SETTINGS.memberRoleName;
const ORGANIZATION = ORGANISATION_SETTINGS.organizationId;
/** The function that publishes Keystop's own alarms; every other function responds to incidents. */
const ALARM_PUBLISHER = 'AlarmsLambdaFunction';

/**
 * The two ways Keystop is deployed (docs/deploy.md): on its own account, and for an organisation (whose home account,
 * a delegated administrator, has Security Hub: that configuration turns its custom action on).
 */
const configurations = [
  { name: 'single account (default)', args: [] as string[], memberRole: undefined },
  {
    name: 'organisation',
    args: ORGANISATION_PARAMS,
    memberRole: MEMBER_ROLE,
  },
] as const;

const templates = new Map<string, CfnTemplate>();
/** As packaged, conditions unresolved: every resource any configuration can have. */
const packaged = new Map<string, CfnTemplate>();

beforeAll(async () => {
  // One after the other: packaging is serialised anyway (see packageTemplate).
  for (const configuration of configurations) {
    const { template } = await packageTemplate(...configuration.args);
    packaged.set(configuration.name, template);
    templates.set(configuration.name, resolveConditions(template));
  }
}, 300_000);

type Statement = ReturnType<typeof statementsOf>[number];
const functionsOf = (template: CfnTemplate) => resourcesOfType(template, 'AWS::Lambda::Function');
const roleOf = (fn: { Properties: Record<string, any> }): string => fn.Properties.Role['Fn::GetAtt'][0];
const allStatements = (template: CfnTemplate): [string, Statement][] =>
  resourcesOfType(template, 'AWS::IAM::Role').flatMap(([id]) => statementsOf(template, id).map((s) => [id, s] as [string, Statement]));
const arnPattern = (kind: 'user' | 'role') => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${kind}/*` });

describe.each(configurations)('Least privilege on the packaged template: $name', ({ name, memberRole }) => {
  const template = () => templates.get(name)!;

  it('gives every function a role of its own, under /keystop/ where Keystop never writes', () => {
    const functions = functionsOf(template());
    const roles = functions.map(([, fn]) => roleOf(fn));

    expect(functions.length).toBeGreaterThanOrEqual(5);
    expect(new Set(roles).size).toBe(functions.length);
    expect(
      resourcesOfType(template(), 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...roles].sort());
    for (const role of roles) expect(template().Resources[role]!.Properties.Path).toBe('/keystop/prod/');
  });

  it('grants no wildcard action, only allows, and never on every resource', () => {
    for (const [role, statement] of allStatements(template())) {
      expect(statement.Effect, `${role} ${statement.Sid}`).toBe('Allow');
      for (const action of actionsOf(statement)) expect(action, `${role} ${statement.Sid}`).not.toContain('*');
      // LookupEvents (read-only) has no resource-level permissions: "*" is the only resource AWS accepts for it.
      if (actionsOf(statement).join() === 'cloudtrail:LookupEvents') continue;
      expect(statement.Resource, `${role} ${statement.Sid}`).not.toBe('*');
    }
  });

  it('scopes IAM actions to the users and roles of the account, role actions to roles, user actions to users', () => {
    for (const [role, statement] of allStatements(template())) {
      const iam = actionsOf(statement).filter((a) => a.startsWith('iam:'));
      if (iam.length === 0) continue;
      expect(iam, `${role} ${statement.Sid} mixes services`).toHaveLength(actionsOf(statement).length);
      const onRoles = iam.every((a) => /Role/.test(a));
      expect(onRoles || iam.every((a) => !/Role/.test(a)), `${role} ${statement.Sid} mixes users and roles`).toBe(true);
      expect(statement.Resource).toEqual(arnPattern(onRoles ? 'role' : 'user'));
    }
    const granted = allStatements(template()).flatMap(([, s]) => actionsOf(s));
    for (const action of ['iam:UpdateAccessKey', 'iam:PutUserPolicy', 'iam:PutRolePolicy']) expect(granted).toContain(action);
  });

  it(memberRole ? "may assume only the member role, in the organisation's accounts" : 'may assume no role at all', () => {
    for (const [fn, lambda] of functionsOf(template())) {
      const sts = statementsOf(template(), roleOf(lambda)).filter((s) => actionsOf(s).some((a) => a.startsWith('sts:')));
      const expected =
        memberRole && fn !== ALARM_PUBLISHER
          ? [
              {
                Sid: 'AssumeMemberRole',
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/${memberRole}` },
                // Only in the organisation's accounts, whatever account an event names.
                Condition: { StringEquals: { 'aws:ResourceOrgID': ORGANIZATION } },
              },
            ]
          : [];
      expect(sts, fn).toEqual(expected);
    }
  });

  it('tells the functions which account they run in and which role reaches the others', () => {
    for (const [fn, lambda] of functionsOf(template())) {
      expect(lambda.Properties.Environment.Variables, fn).toMatchObject({
        KEYSTOP_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
        KEYSTOP_MEMBER_ROLE_NAME: memberRole ?? '',
      });
    }
  });

  it('publishes only to the alert topic, and uses only its key to do so', () => {
    for (const [role, statement] of allStatements(template())) {
      const actions = actionsOf(statement);
      if (actions.some((a) => a.startsWith('sns:'))) {
        expect(statement, role).toMatchObject({ Action: 'sns:Publish', Resource: { Ref: 'AlertTopic' } });
      }
      if (actions.some((a) => a.startsWith('kms:'))) {
        expect(actions.sort(), role).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
        expect(statement.Resource, role).toEqual({ 'Fn::GetAtt': ['AlertTopicKey', 'Arn'] });
      }
    }
  });

  it('encrypts the alert topic with a customer-managed key that SNS and CloudWatch alarms may use', () => {
    const topic = template().Resources.AlertTopic!;
    const key = template().Resources.AlertTopicKey!;
    const statements: any[] = key.Properties.KeyPolicy.Statement;
    const forService = (service: string) => statements.find((s) => s.Principal?.Service === service);

    expect(topic.Properties.KmsMasterKeyId).toEqual({ Ref: 'AlertTopicKey' });
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    for (const service of ['sns.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      expect(forService(service), service).toMatchObject({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
    }
    // Only the account itself administers the key (and delegates its use through IAM); no other principal gets kms:*.
    const wildcard = statements.filter((s) => actionsOf(s).some((a: string) => a.includes('*')));
    expect(wildcard.map((s) => s.Principal)).toEqual([{ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }]);
  });

  it("lets only Keystop's functions and the account's CloudWatch alarms publish to the topic", () => {
    const [first, ...others] = resourcesOfType(template(), 'AWS::SNS::TopicPolicy');
    const policy = first?.[1];
    const statements: any[] = policy!.Properties.PolicyDocument.Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    const functionRoles = functionsOf(template()).map(([, fn]) => ({ 'Fn::GetAtt': [roleOf(fn), 'Arn'] }));

    expect(others).toEqual([]);
    expect(policy!.Properties.Topics).toEqual([{ Ref: 'AlertTopic' }]);
    expect(allows).toHaveLength(2);
    expect(allows.every((s) => s.Action === 'sns:Publish' && s.Resource.Ref === 'AlertTopic')).toBe(true);
    const keystop = allows.find((s) => s.Principal.AWS);
    expect(new Set(keystop.Principal.AWS.map(JSON.stringify))).toEqual(new Set(functionRoles.map((r) => JSON.stringify(r))));
    expect(allows.find((s) => s.Principal.Service)).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*' } },
      },
    });
    // Everyone else: only denies (publishing without TLS).
    expect(statements.filter((s) => s.Principal === '*').every((s) => s.Effect === 'Deny')).toBe(true);
  });

  it('encrypts the failure queue, whose messages are whole findings', () => {
    const queue = template().Resources.FailedEventsQueue!.Properties;
    expect(queue.SqsManagedSseEnabled === true || queue.KmsMasterKeyId !== undefined).toBe(true);
  });
});

/** Roles no IAM write of Keystop may reach, as ARNs in the sample account (test/support/evaluatePolicy.ts). */
const protectedRoles = (memberRole: string | undefined) => [
  'arn:aws:iam::123456789012:role/keystop/prod/keystop-prod-GuardDutyResponderRole-1A2B3C4D',
  'arn:aws:iam::123456789012:role/keystop/dev/keystop-dev-HealthResponderRole-9Z8Y7X',
  'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef',
  'arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport',
  ...(memberRole ? [`arn:aws:iam::123456789012:role/${memberRole}`] : []),
];
const ordinary = ['arn:aws:iam::123456789012:role/app-server', 'arn:aws:iam::123456789012:user/build-bot'];

describe.each(configurations)('Keystop cannot be turned on itself: $name', ({ name, memberRole }) => {
  const template = () => templates.get(name)!;
  /** Every statement that applies to the role: its inline policies and the managed policies of the template attached to it. */
  const effectiveStatements = (roleId: string): PolicyStatement[] => {
    const managed = resourcesOfType(template(), 'AWS::IAM::ManagedPolicy')
      .filter(([, p]) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    return substitute([...statementsOf(template(), roleId), ...managed]) as PolicyStatement[];
  };

  it("denies every IAM write each function may make on Keystop's roles, the member role, /aws-reserved/ and /aws-service-role/", () => {
    for (const [fn, lambda] of functionsOf(template())) {
      const statements = effectiveStatements(roleOf(lambda));
      const writes = iamWritesAllowed(statements);
      // The alarm publisher writes nothing in IAM at all.
      if (fn === ALARM_PUBLISHER) {
        expect(writes).toEqual([]);
        continue;
      }
      // The same writes reach ordinary users and roles (else this test would prove nothing).
      expect(writes, fn).toContain('iam:UpdateAccessKey');
      for (const action of writes) {
        const kind = /Role/.test(action) ? 'role' : 'user';
        expect(isAllowed(statements, action, ordinary.find((arn) => arn.includes(`:${kind}/`))!), `${fn} ${action}`).toBe(true);
        for (const arn of protectedRoles(memberRole)) expect(isAllowed(statements, action, arn), `${fn} ${action} ${arn}`).toBe(false);
        // Writes a later action may add are denied there too: the deny names reads, not writes.
        for (const later of ['iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy']) {
          for (const arn of protectedRoles(memberRole)) {
            expect(isAllowed([...statements, { Effect: 'Allow', Action: later, Resource: arn }], later, arn), `${later} ${arn}`).toBe(
              false,
            );
          }
        }
      }
    }
  });

  it('tells the functions the names of all its roles, so that the planner refuses them before calling IAM', () => {
    const roles = resourcesOfType(template(), 'AWS::IAM::Role').map(([id]) => ({ Ref: id }));
    for (const [fn, lambda] of functionsOf(template())) {
      const names = lambda.Properties.Environment.Variables.KEYSTOP_OWN_ROLE_NAMES;
      expect(names['Fn::Join'][0], fn).toBe(',');
      expect(new Set(names['Fn::Join'][1].map(JSON.stringify)), fn).toEqual(new Set(roles.map((r) => JSON.stringify(r))));
    }
    // The member role trusts the responders' roles; the alarm publisher never acts in member accounts.
    expect((template() as any).Outputs.FunctionRoleArns.Value['Fn::Join'][1]).toHaveLength(roles.length - 1);
  });

  it('lets EventBridge invoke its functions only for a named rule of its own', () => {
    const permissions = resourcesOfType(template(), 'AWS::Lambda::Permission');
    expect(permissions.length).toBeGreaterThanOrEqual(4);
    for (const [id, permission] of permissions) {
      expect(permission.Properties, id).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
      expect(permission.Properties.SourceArn, id).toBeDefined();
      expect(JSON.stringify(permission.Properties.SourceArn), id).not.toContain('*');
    }
  });

  it('lets AWS services send to its queues and topics only for its own rules and alarms, in its own account', () => {
    const policies = [...resourcesOfType(template(), 'AWS::SQS::QueuePolicy'), ...resourcesOfType(template(), 'AWS::SNS::TopicPolicy')];
    const services = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement.filter((s: any) => s.Principal?.Service));
    expect(policies.length).toBeGreaterThanOrEqual(2);
    expect(services.length).toBeGreaterThanOrEqual(2);
    for (const statement of services) {
      expect(statement.Effect).toBe('Allow');
      const conditions = Object.values(statement.Condition ?? {}).flatMap((c: any) => Object.keys(c));
      expect(conditions, statement.Sid).toEqual(expect.arrayContaining(['aws:SourceArn', 'aws:SourceAccount']));
      expect(JSON.stringify(statement.Condition), statement.Sid).not.toMatch(/:\*'|"\*"/);
    }
    // Every rule that dead-letters into the failure queue is one the queue's SourceArn admits, and no other name is.
    const queueStatement = resourcesOfType(template(), 'AWS::SQS::QueuePolicy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .find((s: any) => s.Principal?.Service === 'events.amazonaws.com');
    const admitted = substitute(queueStatement.Condition.ArnLike['aws:SourceArn']) as string;
    const deadLettering = resourcesOfType(template(), 'AWS::Events::Rule').filter(([, r]) =>
      r.Properties.Targets.some((t: any) => t.DeadLetterConfig?.Arn?.['Fn::GetAtt']?.[0] === 'FailedEventsQueue'),
    );
    expect(deadLettering.length).toBeGreaterThanOrEqual(4);
    for (const [id, rule] of deadLettering) {
      const arn = `arn:aws:events:us-east-1:123456789012:rule/${rule.Properties.Name}`;
      expect(isAllowed([{ Effect: 'Allow', Action: 'x', Resource: admitted }], 'x', arn), id).toBe(true);
    }
    expect(
      isAllowed([{ Effect: 'Allow', Action: 'x', Resource: admitted }], 'x', 'arn:aws:events:us-east-1:123456789012:rule/attacker'),
    ).toBe(false);
  });
});

describe("The offensive-tool rule hears only the deployment's accounts (a loop of sessions elsewhere spends nothing)", () => {
  const accountsOf = (template: CfnTemplate) => template.Resources.OffensiveUserAgentRule!.Properties.EventPattern.account;

  it('single account: this account only; organisation with memberAccounts "*": no account filter (the bus admits the organisation only)', () => {
    expect(accountsOf(templates.get('single account (default)')!)).toEqual([{ Ref: 'AWS::AccountId' }]);
    expect(accountsOf(templates.get('organisation')!)).toBeUndefined();
  });

  it('listed member accounts (written with blanks): this account and exactly those, trimmed', async () => {
    const { template } = await packageTemplate(
      ...ORGANISATION_PARAMS.filter((p) => !p.startsWith('--param=memberAccounts=')),
      '--param=memberAccounts=222222222222, 333333333333',
    );

    expect(accountsOf(resolveConditions(template))).toEqual({
      'Fn::Split': [',', { 'Fn::Join': [',', [{ Ref: 'AWS::AccountId' }, '222222222222,333333333333']] }],
    });
  }, 300_000);
});

describe('Security Hub\'s "Keystop: contain" custom action (param securityHubAction)', () => {
  const ACTION_RESOURCES = ['KeystopContainAction', 'KeystopContainActionRule', 'KeystopContainActionRulePermission'];
  const invokersOfApprove = (template: CfnTemplate) =>
    Object.entries(template.Resources)
      .filter(([, r]) => JSON.stringify(r.Properties ?? {}).includes('"ApproveLambdaFunction"'))
      .filter(([, r]) => r.Type === 'AWS::Events::Rule' || r.Type === 'AWS::Lambda::Permission')
      .map(([id]) => id);

  it('is off by default: no action, no rule and no permission to invoke the approve function, so deploy needs no Security Hub', () => {
    const deployed = templates.get(configurations[0].name)!;
    const asPackaged = packaged.get(configurations[0].name)!;

    expect((asPackaged as any).Conditions.SecurityHubActionOn).toEqual({ 'Fn::Equals': ['action-false', 'action-true'] });
    for (const id of ACTION_RESOURCES) expect((asPackaged.Resources[id] as any).Condition).toBe('SecurityHubActionOn');
    expect(resourcesOfType(deployed, 'AWS::SecurityHub::ActionTarget')).toEqual([]);
    expect(invokersOfApprove(deployed)).toEqual([]);
    // The function stays (approving through `keystop contain --incident` does not need it, but its role is named in
    // KEYSTOP_OWN_ROLE_NAMES either way): nothing can invoke it.
    expect(deployed.Resources.ApproveLambdaFunction).toBeDefined();
  });

  it('with securityHubAction=true: the action, a rule on exactly that action, and the permission for that rule only', () => {
    const deployed = templates.get(configurations[1].name)!;

    expect(invokersOfApprove(deployed).sort()).toEqual(['KeystopContainActionRule', 'KeystopContainActionRulePermission']);
    expect(deployed.Resources.KeystopContainAction!.Type).toBe('AWS::SecurityHub::ActionTarget');
    const rule = deployed.Resources.KeystopContainActionRule!.Properties;
    expect(rule.EventPattern).toEqual({
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Custom Action'],
      resources: [{ 'Fn::GetAtt': ['KeystopContainAction', 'ActionTargetArn'] }],
    });
    expect(rule.Targets).toEqual([
      {
        Id: 'keystop-approve',
        Arn: { 'Fn::GetAtt': ['ApproveLambdaFunction', 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 8 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] } },
      },
    ]);
    // Named keystop-<stage>-…: the failure queue takes dead letters only from rules so named.
    expect(rule.Name).toMatch(/^keystop-prod-/);
    expect(deployed.Resources.KeystopContainActionRulePermission!.Properties).toEqual({
      FunctionName: { 'Fn::GetAtt': ['ApproveLambdaFunction', 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': ['KeystopContainActionRule', 'Arn'] },
    });
  });
});

describe('Member role template (deploy/member-role.yml, for StackSets)', () => {
  let member: any;
  beforeAll(async () => {
    member = parse(await readFile(join(import.meta.dirname, '..', '..', 'deploy', 'member-role.yml'), 'utf8'));
  });
  const role = () => member.Resources.MemberRole.Properties;

  const keystopRoles = ['arn:aws:iam::111111111111:role/keystop/prod/keystop-prod-GuardDutyResponderRole-1A2B'];
  /** The template as deployed with these parameters (conditions resolved, intrinsic functions substituted). */
  const deployed = (parameters: Record<string, string>) => {
    const conditions = substitute(member.Conditions, parameters);
    const resolved = resolveConditions({ ...member, Conditions: conditions });
    return substitute(resolved.Resources.MemberRole!.Properties, { ...SAMPLE_MEMBER_VALUES, ...parameters }) as any;
  };
  const SAMPLE_MEMBER_VALUES = {
    'AWS::Partition': 'aws',
    'AWS::AccountId': '222222222222',
    SecurityAccountId: '111111111111',
    ExternalId: 'ext-1',
    RoleName: MEMBER_ROLE,
  };

  it("trusts exactly Keystop's function roles, by ARN, only with the ExternalId; no wildcard", () => {
    const trust = deployed({ KeystopRoleArns: keystopRoles as any, OrganizationId: '' }).AssumeRolePolicyDocument.Statement;

    expect(trust).toEqual([
      {
        Sid: 'KeystopFunctionsOnly',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' }, ArnEquals: { 'aws:PrincipalArn': keystopRoles } },
      },
    ]);
    expect(JSON.stringify(trust)).not.toContain('*');
    expect(member.Parameters.RoleName.Default).toBe(MEMBER_ROLE);
    expect(member.Parameters.KeystopRoleArns.Type).toBe('CommaDelimitedList');
  });

  it('requires the principal to be in the organisation when an organisation id is given', () => {
    const trust = deployed({ KeystopRoleArns: keystopRoles as any, OrganizationId: ORGANIZATION }).AssumeRolePolicyDocument.Statement;

    expect(trust[0].Condition).toEqual({
      StringEquals: { 'sts:ExternalId': 'ext-1', 'aws:PrincipalOrgID': ORGANIZATION },
      ArnEquals: { 'aws:PrincipalArn': keystopRoles },
    });
  });

  it("never writes to itself, Keystop's roles, /aws-reserved/ or /aws-service-role/ roles", () => {
    const statements: PolicyStatement[] = deployed({ KeystopRoleArns: keystopRoles as any, OrganizationId: '' }).Policies.flatMap(
      (p: any) => p.PolicyDocument.Statement,
    );
    const inMember = (path: string) => `arn:aws:iam::222222222222:${path}`;
    const protectedHere = [
      inMember(`role/${MEMBER_ROLE}`),
      inMember('role/keystop/prod/keystop-prod-x'),
      inMember('role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1'),
      inMember('role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport'),
    ];
    const writes = iamWritesAllowed(statements);

    expect(writes).toContain('iam:PutRolePolicy');
    for (const action of writes) {
      const ordinaryTarget = inMember(/Role/.test(action) ? 'role/app-server' : 'user/build-bot');
      expect(isAllowed(statements, action, ordinaryTarget), action).toBe(true);
      for (const arn of protectedHere) expect(isAllowed(statements, action, arn), `${action} ${arn}`).toBe(false);
    }
  });

  it("grants exactly what Keystop's actions declare for every source, on this account's users and roles", () => {
    const statements: Statement[] = role()
      .Policies.flatMap((p: any) => p.PolicyDocument.Statement)
      .filter((s: Statement) => s.Effect === 'Allow');
    const union = new Set(incidentSources.flatMap((source) => requiredPermissions(defaultPolicies, source)));

    expect(statements.flatMap(actionsOf).sort()).toEqual([...union].sort());
    for (const statement of statements) {
      const onRoles = actionsOf(statement).every((a) => /Role/.test(a));
      expect(onRoles || actionsOf(statement).every((a) => !/Role/.test(a))).toBe(true);
      expect(statement).toMatchObject({ Effect: 'Allow', Resource: arnPattern(onRoles ? 'role' : 'user') });
    }
  });
});

describe('Event forwarder template (deploy/forward-events.yml, one stack per region but home)', () => {
  let forwarder: any;
  beforeAll(async () => {
    forwarder = parse(await readFile(join(import.meta.dirname, '..', '..', 'deploy', 'forward-events.yml'), 'utf8'));
  });
  const homeBus = { 'Fn::Sub': 'arn:${AWS::Partition}:events:${HomeRegion}:${AWS::AccountId}:event-bus/default' };
  const rules = () => Object.values(forwarder.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Events::Rule');

  it("forwards exactly what Keystop's functions listen to, so that the home region's rules match it again", () => {
    const home = packaged.get(configurations[0].name)!;
    // Keystop's own alarms change state in the home region: nothing to forward for the alarm publisher. Nor for the
    // approve function: its custom action is this stack's own, chosen in the home region's Security Hub.
    const listened = resourcesOfType(home, 'AWS::Events::Rule')
      .filter(
        ([, rule]) =>
          !rule.Properties.Targets.some((t: any) => [ALARM_PUBLISHER, 'ApproveLambdaFunction'].includes(t.Arn?.['Fn::GetAtt']?.[0])),
      )
      .map(([, rule]) => rule.Properties.EventPattern);
    // The honey-key pattern takes its keys from a parameter in both templates.
    // The hub's offensive-tool rule also names the deployment's accounts: a forwarder only ever sees its own account's.
    const withoutKeys = (pattern: any) =>
      JSON.stringify(pattern, (k, v) => (k === 'accessKeyId' ? 'honey keys' : k === 'account' ? undefined : v));

    expect(new Set(rules().map((r) => withoutKeys(r.Properties.EventPattern)))).toEqual(new Set(listened.map(withoutKeys)));
  });

  it("sends only to the home region's default bus, with a role that can do nothing else", () => {
    for (const rule of rules()) {
      expect(rule.Properties.Targets).toEqual([
        { Id: 'keystop-home-region', Arn: homeBus, RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] } },
      ]);
    }
    const statements = forwarder.Resources.ForwarderRole.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: homeBus }]);
  });

  it('refuses to be deployed in the home region itself', () => {
    expect(forwarder.Rules.NotTheHomeRegion.Assertions[0].Assert).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'HomeRegion' }, { Ref: 'AWS::Region' }] }],
    });
  });
});

describe('Member forwarder template (deploy/member-forward.yml, every member account, by StackSet)', () => {
  let forwarder: any;
  beforeAll(async () => {
    forwarder = parse(await readFile(join(import.meta.dirname, '..', '..', 'deploy', 'member-forward.yml'), 'utf8'));
  });
  const securityBus = { 'Fn::Sub': 'arn:${AWS::Partition}:events:${HomeRegion}:${SecurityAccountId}:event-bus/default' };
  const rules = () => Object.entries(forwarder.Resources as Record<string, any>).filter(([, r]) => r.Type === 'AWS::Events::Rule');
  const targetOf = (rule: any): string | undefined => rule.Properties.Targets[0]?.Arn?.['Fn::GetAtt']?.[0];
  // The hub's offensive-tool rule also names the deployment's accounts: a member's forwarder sees its own account's only.
  const withoutKeys = (pattern: any) =>
    JSON.stringify(pattern, (k, v) => (k === 'accessKeyId' ? 'honey keys' : k === 'account' ? undefined : v));

  it("forwards exactly the tamper guard's calls, honey-key use and offensive tools' calls, so that Keystop's own rules match them again", () => {
    const home = packaged.get('organisation')!;
    const guarded = resourcesOfType(home, 'AWS::Events::Rule')
      .filter(([id, rule]) => targetOf(rule) === 'GuardLambdaFunction' || ['HoneyKeyUseRule', 'OffensiveUserAgentRule'].includes(id))
      .map(([, rule]) => withoutKeys(rule.Properties.EventPattern));

    expect(guarded.length).toBe(7);
    expect(new Set(rules().map(([, r]) => withoutKeys(r.Properties.EventPattern)))).toEqual(new Set(guarded));
  });

  it("forwards the guard's IAM calls from us-east-1 only (where IAM's events arrive), honey-key use and offensive tools from every region", () => {
    expect(forwarder.Conditions.IamRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    const conditions = { HoneyKeyUse: 'HoneyKeys', OffensiveUserAgent: undefined } as Record<string, string | undefined>;
    for (const [id, rule] of rules()) expect(rule.Condition).toBe(id in conditions ? conditions[id] : 'IamRegion');
    // An attacker's first call is usually a read-only one (sts:GetCallerIdentity): ENABLED alone never delivers it.
    expect(forwarder.Resources.HoneyKeyUse.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(forwarder.Resources.OffensiveUserAgent.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });

  it("sends only to the security account's default bus, with a role that can do nothing else", () => {
    for (const [, rule] of rules()) {
      expect(rule.Properties.Targets).toEqual([
        { Id: 'keystop-security-account', Arn: securityBus, RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] } },
      ]);
    }
    const statements = forwarder.Resources.ForwarderRole.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: securityBus }]);
  });

  it("the organisation's bus admits the organisation's accounts only, and only CloudTrail's events; a single account admits none", () => {
    const policies = resourcesOfType(templates.get('organisation')!, 'AWS::Events::EventBusPolicy');
    expect(policies.map(([, p]) => p.Properties.Statement)).toEqual([
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default' },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION, 'events:detail-type': 'AWS API Call via CloudTrail' } },
      },
    ]);
    expect(resourcesOfType(templates.get(configurations[0].name)!, 'AWS::Events::EventBusPolicy')).toEqual([]);
  });
});
