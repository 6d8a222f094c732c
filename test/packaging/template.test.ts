import { beforeAll, describe, expect, it } from 'vitest';
import { requiredPermissions } from '../../src/actions/requiredPermissions';
import { defaultPolicies } from '../../src/policies/defaultPolicies';
import { actionsOf, packageTemplate, resourcesOfType, statementsOf, type CfnTemplate } from '../support/packageTemplate';

let template: CfnTemplate;

beforeAll(async () => {
  ({ template } = await packageTemplate());
}, 120_000);

describe('Packaged CloudFormation (osls package)', () => {
  it('subscribes the GuardDuty function only to GuardDuty findings about access keys', () => {
    const rules = resourcesOfType(template, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.guardduty'],
      'detail-type': ['GuardDuty Finding'],
      detail: { resource: { resourceType: ['AccessKey'] } },
    });
    expect(rule.Properties.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] });
  });

  it('runs on a supported Node.js runtime with its own role', () => {
    const fn = template.Resources.GuarddutyLambdaFunction!;
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': ['GuardDutyResponderRole', 'Arn'] });
    expect(fn.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
  });

  it('sends events that failed every retry to the failure queue', () => {
    const [[, config]] = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig') as [[string, any]];
    expect(config.Properties.FunctionName).toEqual({ Ref: 'GuarddutyLambdaFunction' });
    expect(config.Properties.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] });
  });

  it('grants no wildcard action, and publishes only to the alert topic', () => {
    const statements = statementsOf(template, 'GuardDutyResponderRole');
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of actionsOf(statement)) expect(action).not.toContain('*');
    }
    const publish = statements.filter((s) => actionsOf(s).includes('sns:Publish'));
    expect(publish).toEqual([expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: 'AlertTopic' } })]);
  });

  it.each([['guardduty', 'GuardDutyResponderRole']] as const)(
    'grants the %s function exactly the IAM permissions its policies\' actions declare, scoped to users and roles',
    (source, roleId) => {
      const statements = statementsOf(template, roleId);
      const granted = statements.flatMap(actionsOf).filter((a) => a.startsWith('iam:'));

      expect(granted.sort()).toEqual(requiredPermissions(defaultPolicies, source));
      for (const statement of statements.filter((s) => actionsOf(s).some((a) => a.startsWith('iam:')))) {
        const onRoles = actionsOf(statement).every((a) => /Role/.test(a));
        const onUsers = actionsOf(statement).every((a) => !/Role/.test(a));
        expect(onRoles || onUsers).toBe(true);
        expect(statement.Resource).toEqual({
          'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${onRoles ? 'role' : 'user'}/*`,
        });
      }
    },
  );
});
