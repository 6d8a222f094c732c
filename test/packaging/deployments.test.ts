import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { requiredPermissions } from '../../src/actions/requiredPermissions';
import { incidentSources } from '../../src/events/CredentialIncident';
import { defaultPolicies } from '../../src/policies/defaultPolicies';
import { actionsOf, packageTemplate, resourcesOfType, statementsOf, type CfnTemplate } from '../support/packageTemplate';
import { resolveConditions } from '../support/resolveConditions';

const MEMBER_ROLE = 'KeystopMember';

/** The two ways Keystop is deployed (docs/deploy.md): on its own account, and for an organisation. */
const configurations = [
  { name: 'single account (default)', args: [] as string[], memberRole: undefined },
  {
    name: 'organisation',
    args: [`--param=memberRoleName=${MEMBER_ROLE}`, '--param=externalId=keystop-o-a1b2c3d4e5', '--param=memberAccounts=*'],
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

  it('gives every function a role of its own, in the path the member role trusts', () => {
    const functions = functionsOf(template());
    const roles = functions.map(([, fn]) => roleOf(fn));

    expect(functions.length).toBeGreaterThanOrEqual(4);
    expect(new Set(roles).size).toBe(functions.length);
    expect(resourcesOfType(template(), 'AWS::IAM::Role').map(([id]) => id).sort()).toEqual([...roles].sort());
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

  it(memberRole ? 'may assume only the member role, in any account' : 'may assume no role at all', () => {
    for (const [fn, lambda] of functionsOf(template())) {
      const sts = statementsOf(template(), roleOf(lambda)).filter((s) => actionsOf(s).some((a) => a.startsWith('sts:')));
      const expected = memberRole
        ? [{ Sid: 'AssumeMemberRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/${memberRole}` } }]
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

describe('Member role template (deploy/member-role.yml, for StackSets)', () => {
  let member: any;
  beforeAll(async () => {
    member = parse(await readFile(join(import.meta.dirname, '..', '..', 'deploy', 'member-role.yml'), 'utf8'));
  });
  const role = () => member.Resources.MemberRole.Properties;

  it('trusts only the Keystop function roles of the security account, and only with the ExternalId', () => {
    expect(role().AssumeRolePolicyDocument.Statement).toEqual([
      {
        Sid: 'KeystopFunctionsOnly',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${SecurityAccountId}:root' } },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
          ArnLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${SecurityAccountId}:role/keystop/${KeystopStage}/*' } },
        },
      },
    ]);
    expect(member.Parameters.RoleName.Default).toBe(MEMBER_ROLE);
    expect(member.Parameters.KeystopStage.Default).toBe('prod');
  });

  it("grants exactly what Keystop's actions declare for every source, on this account's users and roles", () => {
    const statements: Statement[] = role().Policies.flatMap((p: any) => p.PolicyDocument.Statement);
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
    const listened = resourcesOfType(home, 'AWS::Events::Rule').map(([, rule]) => rule.Properties.EventPattern);
    // The honey-key pattern takes its keys from a parameter in both templates.
    const withoutKeys = (pattern: any) => JSON.stringify(pattern, (k, v) => (k === 'accessKeyId' ? 'honey keys' : v));

    expect(new Set(rules().map((r) => withoutKeys(r.Properties.EventPattern)))).toEqual(new Set(listened.map(withoutKeys)));
  });

  it("sends only to the home region's default bus, with a role that can do nothing else", () => {
    for (const rule of rules()) {
      expect(rule.Properties.Targets).toEqual([{ Id: 'keystop-home-region', Arn: homeBus, RoleArn: { 'Fn::GetAtt': ['ForwarderRole', 'Arn'] } }]);
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
