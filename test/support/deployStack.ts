import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/local/localClients';
import type { CfnTemplate } from './packageTemplate';

/**
 * Deploys a packaged stack to the emulator's CloudFormation, as `osls deploy` would: the functions' zips uploaded
 * to a deployment bucket, then the stack created. The bucket is made here rather than by a first stack (osls's
 * create-then-update), so one CreateStack does it; the template is otherwise the one `osls package` wrote.
 */
export async function deployStack(endpoint: string, stackName: string, template: CfnTemplate, packageDir: string) {
  const options = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true };
  const s3 = new S3Client(options);
  const cloudFormation = new CloudFormationClient(options);
  const bucket = `${stackName}-deployment`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const resources = Object.fromEntries(Object.entries(template.Resources).filter(([id]) => !id.startsWith('ServerlessDeploymentBucket')));
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
  const body = JSON.stringify({ ...template, Resources: resources, Outputs: outputs }).replaceAll(
    JSON.stringify({ Ref: 'ServerlessDeploymentBucket' }),
    JSON.stringify(bucket),
  );
  await cloudFormation.send(
    new CreateStackCommand({ StackName: stackName, TemplateBody: body, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] }),
  );
  let status = 'CREATE_IN_PROGRESS';
  for (let polls = 0; status.endsWith('_IN_PROGRESS') && polls < 240; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0]?.StackStatus ?? 'missing';
  }
  const { StackResources = [] } = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  return { status, resourceTypes: StackResources.map((r) => r.ResourceType!) };
}
