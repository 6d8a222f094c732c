import { beforeAll, describe, expect, it } from 'vitest';
import { type CfnTemplate, packageTemplate, resourcesOfType } from '../support/packageTemplate';
import { allowEverything, DEPLOYMENT, deployedTemplate, type Policy, roleArns, simulate } from '../support/simulatePolicy';

/**
 * "Only Keystop may" holds in Keystop's own account: there an identity policy alone suffices to publish, subscribe,
 * send or write, so the alert topic, the failure queue and the state table deny every principal but Keystop's roles,
 * the account's alarms and EventBridge rules (service principals, bounded by their Allow) and the operator roles.
 * Proven by IAM's evaluation (iam-simulate) of the packaged template, not by reading its text.
 */
const { account, region, stage } = DEPLOYMENT;
const OPERATOR = `arn:aws:iam::${account}:role/SecurityOperator`;
/** A same-account principal with an identity policy that allows everything: what an attacker with rights there holds. */
const INSIDER = `arn:aws:iam::${account}:role/ci-deployer`;
/** A role the attacker created at Keystop's own path: a path is not an identity. */
const AT_KEYSTOP_PATH = `arn:aws:iam::${account}:role/keystop/${stage}/pivot`;

const TOPIC = `arn:aws:sns:${region}:${account}:keystop-alerts-${stage}`;
const QUEUE = `arn:aws:sqs:${region}:${account}:keystop-failed-events-${stage}`;
const TABLE = `arn:aws:dynamodb:${region}:${account}:table/keystop-state-${stage}`;

let deployed: CfnTemplate;
let withoutOperators: CfnTemplate;

beforeAll(async () => {
  deployed = deployedTemplate((await packageTemplate(`--param=operatorRoles=${OPERATOR}`)).template);
  withoutOperators = deployedTemplate((await packageTemplate()).template);
}, 300_000);

const policyOf = (template: CfnTemplate, type: string): Policy => {
  const [found] = resourcesOfType(template, type);
  if (!found) throw new Error(`no ${type} in the template`);
  const [, resource] = found;
  return type === 'AWS::DynamoDB::Table' ? resource.Properties.ResourcePolicy.PolicyDocument : resource.Properties.PolicyDocument;
};
const topicPolicy = (template = deployed) => policyOf(template, 'AWS::SNS::TopicPolicy');
const queuePolicy = (template = deployed) => policyOf(template, 'AWS::SQS::QueuePolicy');
const tablePolicy = (template = deployed) => policyOf(template, 'AWS::DynamoDB::Table');

/** A Keystop role's own policies: its inline policies and the managed policies attached to it. */
function identityPoliciesOf(template: CfnTemplate, roleId: string): Policy[] {
  const role = template.Resources[roleId]!;
  const roleName = roleArns(template)[roleId]!.split('/').at(-1);
  const managed = resourcesOfType(template, 'AWS::IAM::ManagedPolicy')
    .filter(([, p]) => (p.Properties.Roles as string[]).includes(roleName!))
    .map(([, p]) => p.Properties.PolicyDocument);
  return [...(role.Properties.Policies ?? []).map((p: { PolicyDocument: Policy }) => p.PolicyDocument), ...managed];
}

const keystopRoles = () =>
  Object.keys(roleArns(deployed)).filter((id) => id.endsWith('Role') && id !== 'IamRoleCustomResourcesLambdaExecution');
const responderRoles = () => keystopRoles().filter((id) => id !== 'AlarmPublisherRole');

const cases = [
  { what: 'publish to the alert topic', action: 'sns:Publish', resource: TOPIC, policy: topicPolicy },
  { what: 'subscribe to the alert topic', action: 'sns:Subscribe', resource: TOPIC, policy: topicPolicy },
  { what: 'send to the failure queue', action: 'sqs:SendMessage', resource: QUEUE, policy: queuePolicy },
  { what: 'write to the state table', action: 'dynamodb:PutItem', resource: TABLE, policy: tablePolicy },
  { what: 'change a state table item', action: 'dynamodb:UpdateItem', resource: TABLE, policy: tablePolicy },
  { what: 'delete a state table item', action: 'dynamodb:DeleteItem', resource: TABLE, policy: tablePolicy },
];

describe('Resource policies that deny: the alert topic, the failure queue, the state table', () => {
  it('has the seven function roles to prove it with', () => {
    expect(keystopRoles()).toHaveLength(7);
  });

  it.each(cases)(
    'denies a same-account principal whose identity policy allows everything to $what',
    async ({ action, resource, policy }) => {
      for (const principal of [INSIDER, AT_KEYSTOP_PATH]) {
        expect(
          await simulate({ principal, action, resource, identityPolicies: [allowEverything], resourcePolicy: policy() }),
          principal,
        ).toBe('ExplicitlyDenied');
      }
    },
  );

  it.each(cases)('denies it too when the deployment names no operator role: $what', async ({ action, resource, policy }) => {
    const result = await simulate({
      principal: INSIDER,
      action,
      resource,
      identityPolicies: [allowEverything],
      resourcePolicy: policy(withoutOperators),
    });
    expect(result).toBe('ExplicitlyDenied');
  });

  it.each(cases)('lets an operator role named in operatorRoles $what', async ({ action, resource, policy }) => {
    expect(await simulate({ principal: OPERATOR, action, resource, identityPolicies: [allowEverything], resourcePolicy: policy() })).toBe(
      'Allowed',
    );
  });

  it("lets every Keystop function role publish alerts and send failed events, with the role's own policies", async () => {
    for (const roleId of keystopRoles()) {
      const principal = roleArns(deployed)[roleId]!;
      const identityPolicies = identityPoliciesOf(deployed, roleId);
      const asRole = (action: string, resource: string, resourcePolicy: Policy) =>
        simulate({ principal, action, resource, identityPolicies, resourcePolicy });

      expect(await asRole('sns:Publish', TOPIC, topicPolicy()), roleId).toBe('Allowed');
      expect(await asRole('sqs:SendMessage', QUEUE, queuePolicy()), roleId).toBe('Allowed');
      // No function subscribes: only operators do.
      expect(await asRole('sns:Subscribe', TOPIC, topicPolicy()), roleId).not.toBe('Allowed');
    }
  });

  it("lets every responder role write the state table with the role's own policies", async () => {
    for (const roleId of responderRoles()) {
      const principal = roleArns(deployed)[roleId]!;
      const identityPolicies = identityPoliciesOf(deployed, roleId);
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem']) {
        expect(
          await simulate({ principal, action, resource: TABLE, identityPolicies, resourcePolicy: tablePolicy() }),
          `${roleId} ${action}`,
        ).toBe('Allowed');
      }
    }
  });

  it("lets this account's CloudWatch alarms publish and Keystop's own rules dead-letter, and no other account's", async () => {
    const alarm = {
      'aws:SourceArn': `arn:aws:cloudwatch:${region}:${account}:alarm:keystop-${stage}-failed-events`,
      'aws:SourceAccount': account,
    };
    const rule = {
      'aws:SourceArn': `arn:aws:events:${region}:${account}:rule/keystop-${stage}-honey-key-use`,
      'aws:SourceAccount': account,
    };
    const asService = (principal: string, action: string, resource: string, resourcePolicy: Policy, context: Record<string, string>) =>
      simulate({ principal, action, resource, resourceAccount: account, resourcePolicy, context });

    expect(await asService('cloudwatch.amazonaws.com', 'sns:Publish', TOPIC, topicPolicy(), alarm)).toBe('Allowed');
    expect(await asService('events.amazonaws.com', 'sqs:SendMessage', QUEUE, queuePolicy(), rule)).toBe('Allowed');
    const elsewhere = { 'aws:SourceArn': alarm['aws:SourceArn'].replace(account, '999988887777'), 'aws:SourceAccount': '999988887777' };
    expect(await asService('cloudwatch.amazonaws.com', 'sns:Publish', TOPIC, topicPolicy(), elsewhere)).not.toBe('Allowed');
    const foreignRule = { ...rule, 'aws:SourceArn': rule['aws:SourceArn'].replace(`keystop-${stage}-`, 'attacker-') };
    expect(await asService('events.amazonaws.com', 'sqs:SendMessage', QUEUE, queuePolicy(), foreignRule)).not.toBe('Allowed');
  });
});
