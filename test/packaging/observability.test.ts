import { beforeAll, describe, expect, it } from 'vitest';
import { keystopMetrics, METRICS_NAMESPACE } from '../../src/metrics/recordResponseMetrics';
import { alarmSeverities } from '../../src/report/notify/formatAlarmAlert';
import { everyEmittedMetric } from '../support/everyMetric';
import { actionsOf, type CfnTemplate, packageTemplate, resourcesOfType, statementsOf } from '../support/packageTemplate';
import { resolveConditions } from '../support/resolveConditions';

const ALARM_PUBLISHER = 'AlarmsLambdaFunction';

let template: CfnTemplate;
/** Packaged with every observability setting changed from its default. */
let tuned: CfnTemplate;

beforeAll(async () => {
  ({ template } = await packageTemplate());
  ({ template: tuned } = await packageTemplate(
    '--param=tracing=true',
    '--param=logLevel=DEBUG',
    '--param=alarmThrottles=5',
    '--param=alarmFailedEventsAgeSeconds=900',
    '--param=alarmForensicsFailures=7',
    '--param=debug=true',
  ));
}, 240_000);

/** A metric a dashboard widget or an alarm reads: namespace, name and dimensions. */
interface UsedMetric {
  where: string;
  namespace: string;
  name: string;
  dimensions: Record<string, unknown>;
}

/** The dashboard's widgets, its Fn::Sub placeholders filled in. */
function dashboardWidgets(t: CfnTemplate): any[] {
  const body = t.Resources.Dashboard!.Properties.DashboardBody['Fn::Sub'] as string;
  return JSON.parse(body.replace(/\$\{AWS::(\w+)\}/g, (_, name: string) => `{${name}}`)).widgets;
}

function metricsOfDashboard(t: CfnTemplate): UsedMetric[] {
  return dashboardWidgets(t)
    .filter((w) => w.type === 'metric')
    .flatMap((w) =>
      (w.properties.metrics as unknown[][]).map((m) => {
        const [namespace, name, ...rest] = m.filter((part) => typeof part === 'string') as string[];
        const dimensions: Record<string, unknown> = {};
        for (let i = 0; i + 1 < rest.length; i += 2) dimensions[rest[i]!] = rest[i + 1];
        return { where: `dashboard: ${w.properties.title}`, namespace: namespace!, name: name!, dimensions };
      }),
    );
}

function metricsOfAlarms(t: CfnTemplate): UsedMetric[] {
  const dims = (list: { Name: string; Value: unknown }[] = []) => Object.fromEntries(list.map((d) => [d.Name, d.Value]));
  return resourcesOfType(t, 'AWS::CloudWatch::Alarm').flatMap(([id, { Properties: p }]) =>
    p.MetricName
      ? [{ where: id, namespace: p.Namespace, name: p.MetricName, dimensions: dims(p.Dimensions) }]
      : (p.Metrics as any[])
          .filter((m) => m.MetricStat)
          .map((m) => ({
            where: id,
            namespace: m.MetricStat.Metric.Namespace,
            name: m.MetricStat.Metric.MetricName,
            dimensions: dims(m.MetricStat.Metric.Dimensions),
          })),
  );
}

const alarms = (t: CfnTemplate) => resourcesOfType(t, 'AWS::CloudWatch::Alarm');
const publisherRule = (t: CfnTemplate) =>
  resourcesOfType(t, 'AWS::Events::Rule').find(([, r]) =>
    r.Properties.Targets.some((x: any) => x.Arn?.['Fn::GetAtt']?.[0] === ALARM_PUBLISHER),
  )!;

describe('Keystop metrics used by the dashboard and the alarms', () => {
  const emitted = everyEmittedMetric('prod');

  it('are emitted, every one of them, by the code (each declared name under each declared dimension set)', () => {
    const seen = new Set(emitted.flatMap((m) => m.dimensionSets.map((set) => `${m.name}:${set.join(',')}`)));
    for (const [name, { dimensions }] of Object.entries(keystopMetrics)) {
      for (const set of dimensions)
        expect(seen, `${name} by [${set}]`).toContain(`${name}:${[...set, 'Stage', 'service'].sort().join(',')}`);
    }
    expect(emitted.every((m) => m.namespace === METRICS_NAMESPACE)).toBe(true);
  });

  it("name only metrics the code emits, with a dimension set it emits them under, and this stage's values", () => {
    const used = [...metricsOfDashboard(template), ...metricsOfAlarms(template)].filter((m) => m.namespace === METRICS_NAMESPACE);

    expect(new Set(used.map((m) => m.name)).size).toBeGreaterThanOrEqual(10);
    for (const metric of used) {
      const label = `${metric.where}: ${metric.name} ${JSON.stringify(metric.dimensions)}`;
      expect(metric.dimensions, label).toMatchObject({ service: 'keystop', Stage: 'prod' });
      const keys = Object.keys(metric.dimensions).sort().join(',');
      const emittedUnder = emitted.filter((m) => m.name === metric.name).flatMap((m) => m.dimensionSets.map((s) => s.join(',')));
      expect(emittedUnder, label).toContain(keys);
    }
  });

  it('show containment time as p50 and p99, outcomes over time, the breaker, failures and the failure queue', () => {
    const titles = dashboardWidgets(template).map((w) => w.properties.title);
    const stats = dashboardWidgets(template)
      .filter((w) => /Time to contain/.test(w.properties.title))
      .flatMap((w) => w.properties.metrics.map((m: any[]) => m.at(-1).stat));

    expect(template.Resources.Dashboard!.Properties.DashboardName).toBe('keystop-prod');
    expect(stats.sort()).toEqual(['p50', 'p50', 'p99', 'p99']);
    for (const title of [/outcome/, /[Bb]reaker/, /Failures/, /Failure queue/])
      expect(
        titles.some((t) => title.test(t)),
        String(title),
      ).toBe(true);
    const alarmWidget = dashboardWidgets(template).find((w) => w.type === 'alarm');
    expect(alarmWidget.properties.alarms).toHaveLength(alarms(template).length);
  });
});

describe('Alarms', () => {
  it('cover the failure queue (depth and age), function errors and throttles, the breaker, containment and forensics', () => {
    const used = metricsOfAlarms(template).map((m) => `${m.namespace}/${m.name}`);
    for (const metric of [
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'AWS/SQS/ApproximateAgeOfOldestMessage',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Throttles',
      'Keystop/ContainmentsFailed',
      'Keystop/BreakerOpened',
      'Keystop/ForensicsLookups',
    ]) {
      expect(used).toContain(metric);
    }
  });

  it('reach the topic through the alarm publisher, each by its exact name, and each has a severity', () => {
    const [, rule] = publisherRule(template);
    const routed = rule.Properties.EventPattern.detail.alarmName as string[];
    const viaPublisher = alarms(template).filter(([id]) => id !== 'AlarmPublisherErrorsAlarm');

    expect(rule.Properties.EventPattern).toMatchObject({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { state: { value: ['ALARM', 'OK'] } },
    });
    expect([...routed].sort()).toEqual(viaPublisher.map(([, a]) => a.Properties.AlarmName).sort());
    for (const [id, alarm] of viaPublisher) {
      expect(alarm.Properties.AlarmActions, `${id} would page twice`).toBeUndefined();
      expect(alarm.Properties.AlarmName).toMatch(/^keystop-prod-/);
    }
    expect(routed.map((name) => name.replace(/^keystop-prod-/, '')).sort()).toEqual(Object.keys(alarmSeverities).sort());
  });

  it("page the topic directly only for the alarm publisher's own errors, which it cannot report itself", () => {
    const own = template.Resources.AlarmPublisherErrorsAlarm!.Properties;
    const [, rule] = publisherRule(template);

    expect(own.AlarmActions).toEqual([{ Ref: 'AlertTopic' }]);
    expect(own.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: ALARM_PUBLISHER } }]);
    expect(rule.Properties.EventPattern.detail.alarmName).not.toContain(own.AlarmName);
  });

  it('take their thresholds from the settings', () => {
    // A --param from the command line arrives as a string; CloudFormation reads a numeric string as the number.
    const threshold = (t: CfnTemplate, id: string) => Number(t.Resources[id]!.Properties.Threshold);

    expect([threshold(template, 'ThrottlesAlarm'), threshold(tuned, 'ThrottlesAlarm')]).toEqual([0, 5]);
    expect([threshold(template, 'FailedEventsAgeAlarm'), threshold(tuned, 'FailedEventsAgeAlarm')]).toEqual([3600, 900]);
    expect([threshold(template, 'ForensicsFailingAlarm'), threshold(tuned, 'ForensicsFailingAlarm')]).toEqual([3, 7]);
  });
});

describe('The alarm publisher', () => {
  it('may write its own logs, publish to the alert topic with its key, and use the failure queue: nothing else', () => {
    const role = template.Resources[ALARM_PUBLISHER]!.Properties.Role['Fn::GetAtt'][0];
    const statements = statementsOf(template, role);

    expect(Object.fromEntries(statements.map((s) => [s.Sid, [actionsOf(s).sort(), s.Resource]]))).toEqual({
      Logs: [
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/keystop-prod-alarms:*' },
      ],
      Alerts: [['sns:Publish'], { Ref: 'AlertTopic' }],
      AlertEncryption: [['kms:Decrypt', 'kms:GenerateDataKey'], { 'Fn::GetAtt': ['AlertTopicKey', 'Arn'] }],
      FailureDestination: [['sqs:SendMessage'], { 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] }],
    });
    expect(
      resourcesOfType(template, 'AWS::IAM::ManagedPolicy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(role))
        .map(([id]) => id),
    ).toEqual(['TracingAccess']);
  });
});

describe('Tracing and log level settings', () => {
  const functions = (t: CfnTemplate) => resourcesOfType(t, 'AWS::Lambda::Function');

  it('are off and INFO by default: no active tracing, no X-Ray permission', () => {
    const resolved = resolveConditions(template);

    for (const [id, fn] of functions(template)) {
      expect(fn.Properties.TracingConfig, id).toBeUndefined();
      expect(fn.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL, id).toBe('INFO');
      expect(fn.Properties.Environment.Variables.KEYSTOP_STAGE, id).toBe('prod');
    }
    expect(resolved.Resources.TracingAccess).toBeUndefined();
  });

  it('turn on active tracing for every function, with only the X-Ray permissions it needs on every role', () => {
    const resolved = resolveConditions(tuned);
    const access = resolved.Resources.TracingAccess!.Properties;
    const roles = functions(tuned).map(([, fn]) => ({ Ref: fn.Properties.Role['Fn::GetAtt'][0] }));

    for (const [id, fn] of functions(tuned)) {
      expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL, id).toBe('DEBUG');
    }
    expect(access.PolicyDocument.Statement).toEqual([
      { Sid: 'Traces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
    expect(new Set(access.Roles.map(JSON.stringify))).toEqual(new Set(roles.map((r) => JSON.stringify(r))));
  });
});

describe('The debug setting', () => {
  const nodeOptions = (t: CfnTemplate): [string, string][] =>
    resourcesOfType(t, 'AWS::Lambda::Function').map(([id, fn]) => [id, String(fn.Properties.Environment.Variables.NODE_OPTIONS ?? '')]);

  it('leaves source maps off by default: Node does not read the map at a cold start', () => {
    for (const [id, options] of nodeOptions(template)) expect(options, id).not.toContain('--enable-source-maps');
  });

  it('turns on source-mapped stack traces in every function', () => {
    for (const [id, options] of nodeOptions(tuned)) expect(options.split(/\s+/), id).toContain('--enable-source-maps');
  });
});

describe('Saved Logs Insights queries', () => {
  it("answer what happened to a key, all failures, and containment latency by source, over the functions' logs", () => {
    const queries: Record<string, any> = Object.fromEntries(
      resourcesOfType(template, 'AWS::Logs::QueryDefinition').map(([, q]) => [q.Properties.Name, q.Properties]),
    );
    const responderLogs = ['guardduty', 'securityhub', 'health', 'cloudtrail'].map((f) => `/aws/lambda/keystop-prod-${f}`);

    expect(Object.keys(queries).sort()).toEqual([
      'keystop-prod/containment-latency-by-source',
      'keystop-prod/failures',
      'keystop-prod/what-happened-to-key',
    ]);
    for (const query of Object.values(queries)) expect(query.LogGroupNames).toEqual(expect.arrayContaining(responderLogs));
    expect(queries['keystop-prod/what-happened-to-key']!.QueryString).toMatch(/filter @message like "AKIA/);
    expect(queries['keystop-prod/failures']!.QueryString).toMatch(/level = "ERROR" or outcome = "failed"/);
    // Reads the latency metrics from their EMF lines, by the Source dimension they carry.
    const latency = queries['keystop-prod/containment-latency-by-source']!.QueryString as string;
    for (const name of ['TimeToContainFromEntry', 'TimeToContainFromFirstSeen']) expect(latency).toContain(name);
    expect(latency).toMatch(/by Source\s*$/);
  });
});
