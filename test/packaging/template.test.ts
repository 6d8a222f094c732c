import { beforeAll, describe, expect, it } from 'vitest';
import { containmentActions } from '../../src/actions/containmentActions';
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

  it('grants exactly the IAM permissions its containment actions declare, on users only', () => {
    const declared = new Set(Object.values(containmentActions).flatMap((a) => a.permissions));
    const statements = statementsOf(template, 'GuardDutyResponderRole');
    const granted = statements.flatMap(actionsOf).filter((a) => a.startsWith('iam:'));

    expect(new Set(granted)).toEqual(declared);
    const iamStatements = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('iam:')));
    for (const s of iamStatements) {
      expect(s.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*' });
    }
  });
});
