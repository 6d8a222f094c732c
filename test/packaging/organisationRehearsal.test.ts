import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION, localClients } from '../../src/local/localClients';
import { type DeployedStack, deployStack, deployTemplate } from '../support/deployStack';
import { awsEndpoint } from '../support/localAws';
import { memberAccountOptions } from '../support/memberAccountIam';
import { type CfnTemplate, ORGANISATION_PARAMS, ORGANISATION_SETTINGS, packageTemplate } from '../support/packageTemplate';
import { resolveConditions } from '../support/resolveConditions';
import { runCli } from '../support/runCli';

type Failure = { code: number; stdout: string; stderr: string };
/** serverless.yml's default stage: the organisation configuration is packaged without --stage. */
const STAGE = 'prod';
const MEMBER = '444455556666';
const FORWARDER_REGION = 'eu-west-1';
const HOME_BUS = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:event-bus/default`;

/** The organisation's settings as keystop.settings.yml holds them for the stage, with `changes` over them. */
async function settingsFile(changes: Record<string, string> = {}) {
  const entries = Object.entries({ ...ORGANISATION_SETTINGS, ...changes });
  const text = `${STAGE}:\n${entries.map(([name, value]) => `  ${name}: ${JSON.stringify(value)}`).join('\n')}\n`;
  const file = join(await mkdtemp(join(tmpdir(), 'keystop-org-rehearsal-')), 'keystop.settings.yml');
  await writeFile(file, text);
  return file;
}

const deployTemplates = {
  forwarder: parse(await readFile('deploy/forward-events.yml', 'utf8')) as CfnTemplate,
  memberForward: parse(await readFile('deploy/member-forward.yml', 'utf8')) as CfnTemplate,
};

let packaged: CfnTemplate;
let keystop: DeployedStack;
let memberRole: DeployedStack;
let memberForward: DeployedStack;
let forwarder: DeployedStack;
let member: Awaited<ReturnType<typeof memberAccountOptions>>;

beforeAll(async () => {
  const endpoint = awsEndpoint();
  const { template, dir } = await packageTemplate(...ORGANISATION_PARAMS);
  packaged = template;
  keystop = await deployStack(endpoint, `keystop-${STAGE}`, template, dir);
  member = await memberAccountOptions(MEMBER, endpoint, localClients(endpoint).sts);
  // As docs/deploy.md deploys them: the member role and the member forwarder by StackSet into each member account
  // (here one), with the Keystop stack's outputs; the forwarder in another region of the security account.
  [memberRole, memberForward, forwarder] = await Promise.all([
    deployTemplate(member, 'keystop-member-role', 'deploy/member-role.yml', {
      SecurityAccountId: LOCAL_ACCOUNT_ID,
      ExternalId: ORGANISATION_SETTINGS.externalId,
      RoleName: ORGANISATION_SETTINGS.memberRoleName,
      KeystopRoleArns: keystop.outputs.FunctionRoleArns ?? '',
      OrganizationId: ORGANISATION_SETTINGS.organizationId,
    }),
    deployTemplate(member, 'keystop-member-forward', 'deploy/member-forward.yml', {
      SecurityAccountId: LOCAL_ACCOUNT_ID,
      HomeRegion: LOCAL_REGION,
      HoneyKeys: ORGANISATION_SETTINGS.honeyKeys,
    }),
    deployTemplate(
      { endpoint, region: FORWARDER_REGION, credentials: LOCAL_CREDENTIALS },
      'keystop-forwarder',
      'deploy/forward-events.yml',
      {
        HomeRegion: LOCAL_REGION,
        ForwardHealth: 'true',
        ForwardIamCloudTrail: 'true',
        HoneyKeys: ORGANISATION_SETTINGS.honeyKeys,
      },
    ),
  ]);
}, 300_000);

/** Each rule a stack created, as EventBridge holds it: its state and its targets. */
async function rulesOf(stack: DeployedStack, template: CfnTemplate, events: EventBridgeClient) {
  const ids = Object.keys(template.Resources).filter(
    (id) => template.Resources[id]!.Type === 'AWS::Events::Rule' && id in stack.physicalIds,
  );
  return Object.fromEntries(
    await Promise.all(
      ids.map(async (id) => {
        const name = stack.physicalIds[id]!;
        const [rule, { Targets = [] }] = await Promise.all([
          events.send(new DescribeRuleCommand({ Name: name })),
          events.send(new ListTargetsByRuleCommand({ Rule: name })),
        ]);
        return [id, { state: rule.State, pattern: JSON.parse(rule.EventPattern ?? '{}'), targets: Targets }] as const;
      }),
    ),
  );
}

/** The state each rule of a template is to have: its State, ENABLED when it names none. */
const statesOf = (template: CfnTemplate, ids: string[]) =>
  Object.fromEntries(ids.map((id) => [id, template.Resources[id]!.Properties.State ?? 'ENABLED']));

describe('Deploy rehearsal: the organisation configuration and the deploy/ templates on the emulator', () => {
  it("creates the organisation's packaged stack, its rules in the states the template gives them (read-only calls too for honey keys)", async () => {
    const rules = await rulesOf(keystop, packaged, await localClients(awsEndpoint()).eventsClient());

    expect(keystop.status).toBe('CREATE_COMPLETE');
    expect(keystop.resourceTypes.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(7);
    // Every rule of the template: the organisation configuration has the Security Hub action and honey keys on.
    expect(Object.keys(rules).sort()).toEqual(
      Object.keys(packaged.Resources)
        .filter((id) => packaged.Resources[id]!.Type === 'AWS::Events::Rule')
        .sort(),
    );
    expect(Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.state]))).toEqual(statesOf(packaged, Object.keys(rules)));
    expect(rules.HoneyKeyUseRule?.state).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(rules.HoneyKeyUseRule?.pattern.detail.userIdentity.accessKeyId).toEqual([ORGANISATION_SETTINGS.honeyKeys]);
    expect(rules.KeystopContainActionRule?.pattern.resources).toEqual([
      `arn:aws:securityhub:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:action/custom/KeystopContain`,
    ]);
  });

  it('creates every resource of the configuration but those whose type moto does not model (listed: not rehearsed here)', () => {
    // moto's CloudFormation skips a type it does not model and still says CREATE_COMPLETE; deployStack stands in for
    // the Security Hub custom action (moto has none). So the alarms, the resource policies (the member accounts' bus
    // policy, the topic's and the queue's), the functions' on-failure destinations and the saved Logs Insights
    // queries are not rehearsed here: their statements are checked as packaged (deployments, resourcePolicies,
    // stateAndAlarms tests). A type newly missing would be a resource this rehearsal silently does not cover.
    const expected = resolveConditions(packaged).Resources;
    const missing = Object.keys(expected).filter((id) => !(id in keystop.physicalIds) && !id.startsWith('ServerlessDeploymentBucket'));

    expect([...new Set(missing.map((id) => expected[id]!.Type))].sort()).toEqual([
      'AWS::CloudWatch::Alarm',
      'AWS::Events::EventBusPolicy',
      'AWS::Lambda::EventInvokeConfig',
      'AWS::Logs::QueryDefinition',
      'AWS::SNS::TopicPolicy',
      'AWS::SQS::QueuePolicy',
      'AWS::SecurityHub::ActionTarget',
    ]);
    expect(keystop.resourceTypes).toContain('AWS::CloudWatch::Dashboard');
  });

  it("creates the member role in the member account, trusting exactly the Keystop stack's function roles, with the ExternalId and organisation", async () => {
    const iam = new IAMClient(member);

    const { Role } = await iam.send(new GetRoleCommand({ RoleName: ORGANISATION_SETTINGS.memberRoleName }));
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));

    expect(memberRole.status).toBe('CREATE_COMPLETE');
    expect(Role!.Arn).toBe(`arn:aws:iam::${MEMBER}:role/${ORGANISATION_SETTINGS.memberRoleName}`);
    const functionRoles = keystop.outputs.FunctionRoleArns!.split(',');
    expect(functionRoles).toHaveLength(6);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:root` },
        Condition: {
          StringEquals: { 'sts:ExternalId': ORGANISATION_SETTINGS.externalId, 'aws:PrincipalOrgID': ORGANISATION_SETTINGS.organizationId },
          ArnEquals: { 'aws:PrincipalArn': functionRoles },
        },
      }),
    ]);
  });

  it("creates the member account's forwarder in us-east-1: every guard rule, honey-key use and offensive tools, to the security account's bus", async () => {
    const rules = await rulesOf(memberForward, deployTemplates.memberForward, new EventBridgeClient(member));
    const ids = Object.keys(deployTemplates.memberForward.Resources).filter(
      (id) => deployTemplates.memberForward.Resources[id]!.Type === 'AWS::Events::Rule',
    );

    expect(memberForward.status).toBe('CREATE_COMPLETE');
    expect(Object.keys(rules).sort()).toEqual(ids.sort());
    expect(Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.state]))).toEqual(
      statesOf(deployTemplates.memberForward, ids),
    );
    expect(rules.HoneyKeyUse?.state).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    for (const rule of Object.values(rules)) {
      expect(rule.targets.map((t) => [t.Arn, t.RoleArn?.split(':')[4]])).toEqual([[HOME_BUS, MEMBER]]);
    }
  });

  it('creates the forwarder in another region of the security account: its rules send to the home region, read-only calls too where they must', async () => {
    const events = new EventBridgeClient({ endpoint: awsEndpoint(), region: FORWARDER_REGION, credentials: LOCAL_CREDENTIALS });
    const rules = await rulesOf(forwarder, deployTemplates.forwarder, events);
    const ids = Object.keys(deployTemplates.forwarder.Resources).filter(
      (id) => deployTemplates.forwarder.Resources[id]!.Type === 'AWS::Events::Rule' && id !== 'SecurityHubFindings',
    );

    expect(forwarder.status).toBe('CREATE_COMPLETE');
    // ForwardSecurityHub is left 'false' (its default): that one rule is not created.
    expect(Object.keys(rules).sort()).toEqual(ids.sort());
    expect(Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.state]))).toEqual(
      statesOf(deployTemplates.forwarder, ids),
    );
    expect([rules.HoneyKeyUse?.state, rules.OffensiveUserAgent?.state]).toEqual([
      'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    ]);
    for (const rule of Object.values(rules)) {
      expect(rule.targets.map((t) => [t.Arn, t.RoleArn?.startsWith(`arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/keystop-forwarder-`)])).toEqual([
        [HOME_BUS, true],
      ]);
    }
  });

  it('doctor --stage reports the organisation stack as deployed, and a changed organisation setting as a difference (exit 1)', async () => {
    const doctor = async (file: string) =>
      runCli(['doctor', '--stage', STAGE], { endpoint: awsEndpoint(), env: { KEYSTOP_SETTINGS_FILE: file, KEYSTOP_EXEMPT_TAG: '' } });
    const [same, edited] = [await settingsFile(), await settingsFile({ memberAccounts: MEMBER, externalId: 'keystop-rotated' })];

    const ok = await doctor(same);
    const changed = await doctor(edited).then(
      () => undefined,
      (error: Failure) => error,
    );

    expect(ok.stdout.split('\n')[0]).toBe(
      `ok   deployed settings: keystop-${STAGE}-guardduty runs with stage ${STAGE} of ${same} (every setting it reads)`,
    );
    expect(changed?.code).toBe(1);
    expect(changed?.stdout.split('\n').slice(0, 3)).toEqual([
      `WARN deployed settings: keystop-${STAGE}-guardduty differs from stage ${STAGE} of ${edited}:`,
      '  externalId: deployed "keystop-o-a1b2c3d4e5", here "keystop-rotated"',
      `  memberAccounts: deployed "*", here "${MEMBER}"`,
    ]);
  });
});
