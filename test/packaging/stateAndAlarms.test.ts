import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, type CfnTemplate, packageTemplate, resourcesOfType } from '../support/packageTemplate';
import { resolveConditions } from '../support/resolveConditions';

let template: CfnTemplate;
/** Every function in the template, by its logical id: derived, so that a new function is checked without editing. */
let functionIds: string[];

beforeAll(async () => {
  ({ template } = await packageTemplate());
  template = resolveConditions(template);
  functionIds = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);
}, 120_000);

const resource = (id: string) => {
  const found = template.Resources[id];
  if (!found) throw new Error(`no resource ${id} in the template`);
  return found;
};

/** The logical id a `!Ref X` or `!GetAtt X.Arn` points to. */
function referenced(value: any): string | undefined {
  if (value?.Ref) return value.Ref;
  const getAtt = value?.['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

describe('the packaged template keeps state and pages on failures', () => {
  it('has responder functions to check', () => {
    expect(functionIds.length).toBeGreaterThanOrEqual(4);
  });

  it('keeps the state table on demand, expiring items by their ttl attribute, encrypted at rest', () => {
    const table = resource('StateTable');

    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.ProvisionedThroughput).toBeUndefined();
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
    expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true });
  });

  it('attaches the state table access policy to the role of every responder (not the alarm publisher)', () => {
    const attachedTo = (resource('StateTableAccess').Properties.Roles as unknown[]).map(referenced);
    const roles = functionIds.filter((id) => id !== 'AlarmsLambdaFunction').map((id) => referenced(resource(id).Properties.Role));

    expect(roles.every((role) => role !== undefined)).toBe(true);
    for (const role of roles) expect(attachedTo).toContain(role);
  });

  it('grants through that policy only item reads and writes, on the state table alone', () => {
    const access = resource('StateTableAccess');
    const statements = access.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown }[];

    expect(access.Type).toBe('AWS::IAM::ManagedPolicy');
    expect(statements.flatMap(actionsOf).sort()).toEqual(
      ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort(),
    );
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      expect(resources).toEqual([{ 'Fn::GetAtt': ['StateTable', 'Arn'] }]);
    }
  });

  it('gives every function reserved concurrency and an on-failure destination, the failure queue', () => {
    const invokeConfigs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);

    for (const id of functionIds) {
      const fn = resource(id);
      expect(fn.Properties.ReservedConcurrentExecutions, id).toBeGreaterThan(0);
      const config = invokeConfigs.find((c) => referenced(c.FunctionName) === id);
      expect(config, `${id} has an EventInvokeConfig`).toBeDefined();
      expect(referenced(config!.DestinationConfig?.OnFailure?.Destination), id).toBe('FailedEventsQueue');
    }
  });

  it('alarms as soon as the failure queue holds an event', () => {
    const alarm = resource('FailedEventsAlarm').Properties;

    expect(alarm.Namespace).toBe('AWS/SQS');
    expect(alarm.MetricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(alarm.Dimensions).toHaveLength(1);
    expect(alarm.Dimensions[0].Name).toBe('QueueName');
    expect(alarm.Dimensions[0].Value).toEqual({ 'Fn::GetAtt': ['FailedEventsQueue', 'QueueName'] });
    expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(alarm.Threshold).toBe(0);
    // It reaches the topic through the alarm publisher (test/packaging/observability.test.ts), not directly.
    expect(alarm.AlarmActions).toBeUndefined();
  });

  it('alarms on the summed Errors of every function in the template', () => {
    const alarm = resource('FunctionErrorsAlarm').Properties;
    const metrics = alarm.Metrics as { Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: any }[];
    const stats = metrics.filter((m) => m.MetricStat);
    const [summed, ...others] = metrics.filter((m) => m.ReturnData !== false);

    // Each function's Errors, once.
    const watched = stats.map((m) => {
      expect(m.MetricStat.Metric).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors' });
      expect(m.MetricStat.Stat).toBe('Sum');
      expect(m.MetricStat.Metric.Dimensions).toHaveLength(1);
      expect(m.MetricStat.Metric.Dimensions[0].Name).toBe('FunctionName');
      return referenced(m.MetricStat.Metric.Dimensions[0].Value);
    });
    expect([...watched].sort()).toEqual([...functionIds].sort());
    // The one returned series is the sum of all of them.
    expect(others).toEqual([]);
    const sumMatch = /^SUM\(\[(.*)\]\)$/.exec(summed?.Expression?.replace(/\s/g, '') ?? '');
    expect(sumMatch, `expression ${summed?.Expression}`).not.toBeNull();
    expect(sumMatch![1]!.split(',').sort()).toEqual(stats.map((m) => m.Id).sort());
    expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(alarm.Threshold).toBe(0);
    expect(alarm.AlarmActions).toBeUndefined();
  });
});
