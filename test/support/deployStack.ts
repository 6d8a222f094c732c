import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ClientOptions } from '../../src/aws/createClients';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/local/localClients';
import type { CfnTemplate } from './packageTemplate';

/** A stack as the emulator's CloudFormation left it: its status, what it created (by logical id) and its outputs. */
export interface DeployedStack {
  status: string;
  resourceTypes: string[];
  /** Logical id -> physical id, for each resource the emulator created (see createStack on what it leaves out). */
  physicalIds: Record<string, string>;
  outputs: Record<string, string>;
}

/**
 * Deploys a packaged stack to the emulator's CloudFormation, as `osls deploy` would: the functions' zips uploaded
 * to a deployment bucket, then the stack created. The bucket is made here rather than by a first stack (osls's
 * create-then-update), so one CreateStack does it; the template is otherwise the one `osls package` wrote.
 */
export async function deployStack(endpoint: string, stackName: string, template: CfnTemplate, packageDir: string): Promise<DeployedStack> {
  const options = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true };
  const s3 = new S3Client(options);
  const bucket = `${stackName}-deployment`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const resources = Object.fromEntries(
    Object.entries(template.Resources).filter(([id, r]) => !id.startsWith('ServerlessDeploymentBucket') && !(r.Type in STAND_INS)),
  );
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = resource.Properties.Code.S3Key as string;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(join(packageDir, basename(key))) }));
  }
  const outputs = Object.fromEntries(
    Object.entries((template as CfnTemplate & { Outputs?: Record<string, unknown> }).Outputs ?? {}).filter(
      ([name]) => name !== 'ServerlessDeploymentBucketName',
    ),
  );
  const body = JSON.stringify(withStandIns({ ...template, Resources: resources, Outputs: outputs }, template)).replaceAll(
    JSON.stringify({ Ref: 'ServerlessDeploymentBucket' }),
    JSON.stringify(bucket),
  );
  return createStack(options, stackName, body);
}

/**
 * Resource types the packaged template uses whose attributes other resources read (Fn::GetAtt) but which moto's
 * CloudFormation does not model: a GetAtt of one fails the whole CreateStack ("references undefined resource"). Such a
 * resource is left out and each GetAtt of it replaced by the value AWS gives it, so that what reads it (the Security
 * Hub custom action's rule) is created as AWS creates it. Nothing of the stand-in itself is rehearsed.
 */
const STAND_INS: Record<string, (properties: Record<string, any>) => Record<string, unknown>> = {
  // moto has no Security Hub action targets at all; AWS's ARN of a custom action is action/custom/<Id>.
  'AWS::SecurityHub::ActionTarget': (properties) => ({
    ActionTargetArn: { 'Fn::Sub': `arn:\${AWS::Partition}:securityhub:\${AWS::Region}:\${AWS::AccountId}:action/custom/${properties.Id}` },
  }),
};

/** The template with each Fn::GetAtt of a stand-in resource (see STAND_INS) replaced by its value. */
function withStandIns<T>(value: T, template: CfnTemplate): T {
  if (Array.isArray(value)) return value.map((v) => withStandIns(v, template)) as T;
  if (value === null || typeof value !== 'object') return value;
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  const target = getAtt && template.Resources[getAtt[0]];
  const standIn = target && STAND_INS[target.Type];
  if (getAtt && target && standIn) {
    const attribute = standIn(target.Properties)[getAtt[1]];
    if (attribute === undefined) throw new Error(`no stand-in for ${getAtt.join('.')} (test/support/deployStack.ts)`);
    return attribute as T;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withStandIns(v, template)])) as T;
}

/** Deploys a template of deploy/ as an operator would (`aws cloudformation deploy`), with the given parameters. */
export async function deployTemplate(
  options: ClientOptions,
  stackName: string,
  file: string,
  parameters: Record<string, string>,
): Promise<DeployedStack> {
  const params: Parameter[] = Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
  return createStack(options, stackName, await readFile(file, 'utf8'), params);
}

/**
 * One CreateStack, polled until it settles. moto creates the resource types it models and skips the others (it warns
 * "not supported by moto's CloudFormation implementation" and still reports CREATE_COMPLETE): those, and resources
 * whose Condition is false, come back from DescribeStackResources without a logical id or type, and are left out here.
 */
async function createStack(options: ClientOptions, stackName: string, body: string, parameters: Parameter[] = []): Promise<DeployedStack> {
  const cloudFormation = new CloudFormationClient(options);
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: body,
      Parameters: parameters,
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
  let stack = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  for (let polls = 0; stack?.StackStatus?.endsWith('_IN_PROGRESS') && polls < 240; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    stack = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  }
  const { StackResources = [] } = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  const created = StackResources.filter((r) => r.LogicalResourceId);
  return {
    status: stack?.StackStatus ?? 'missing',
    resourceTypes: created.map((r) => r.ResourceType!),
    physicalIds: Object.fromEntries(created.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!])),
    outputs: Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])),
  };
}
