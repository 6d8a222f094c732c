import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CfnTemplate, packageTemplate, resourcesOfType } from '../support/packageTemplate';

const root = join(import.meta.dirname, '..', '..');
const deployDoc = readFileSync(join(root, 'docs', 'deploy.md'), 'utf8');
/** The section of docs/deploy.md that says what a deployment creates. */
const creates = deployDoc.slice(deployDoc.indexOf('## What a deployment creates'), deployDoc.indexOf('## 1. Single account'));

let template: CfnTemplate;
beforeAll(async () => {
  ({ template } = await packageTemplate('--stage', 'prod'));
}, 180_000);

/** The names a resource type carries in the packaged template, with the stage written as docs/deploy.md writes it. */
const namesOf = (type: string, property: string) =>
  resourcesOfType(template, type).map(([, r]) => String(r.Properties[property]).replace(/prod/g, '<stage>'));
/** The backticked names of the section matching `pattern`. */
const documented = (pattern: RegExp) => [...creates.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((name) => pattern.test(name));

describe('docs/deploy.md says what the packaged template creates', () => {
  it('names every function, and no other', () => {
    const functions = namesOf('AWS::Lambda::Function', 'FunctionName');

    expect(functions).toHaveLength(7);
    expect(documented(/^keystop-<stage>-(guardduty|securityhub|health|cloudtrail|guard|approve|alarms)$/).sort()).toEqual(functions.sort());
    expect(creates).toContain('seven functions');
  });

  it('names every alarm, and no other', () => {
    const alarms = namesOf('AWS::CloudWatch::Alarm', 'AlarmName');

    expect(alarms).toHaveLength(8);
    expect(documented(/(-errors|-failed|-failed-events|-failed-events-age|-throttles|-opened|-failing)$/).sort()).toEqual(alarms.sort());
    expect(creates).toContain('eight alarms');
  });

  it('names the state table, the topic, the failure queue, the dashboard and the saved queries', () => {
    const named = [
      ...namesOf('AWS::DynamoDB::Table', 'TableName'),
      ...namesOf('AWS::SNS::Topic', 'TopicName'),
      ...namesOf('AWS::SQS::Queue', 'QueueName'),
      ...namesOf('AWS::CloudWatch::Dashboard', 'DashboardName'),
      ...namesOf('AWS::Logs::QueryDefinition', 'Name'),
    ];

    expect(named).toHaveLength(7);
    for (const name of named) expect(creates, name).toContain(`\`${name}\``);
  });
});
