import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { CfnTemplate } from './packageTemplate';
import { resolveConditions } from './resolveConditions';

/**
 * IAM's own evaluation, offline: @cloud-copilot/iam-simulate (AGPL-3.0, a devDependency used by tests only, never
 * bundled) evaluates identity, resource and service control policies with their conditions. Here: the packaged
 * template as one deployment would have it (every intrinsic function resolved to that deployment's values), and a
 * request context filled the way AWS fills it for the principal.
 */
export interface Deployment {
  account: string;
  region: string;
  stage: string;
}

export const DEPLOYMENT: Deployment = { account: '111122223333', region: 'us-east-1', stage: 'prod' };

/** The name CloudFormation gives a resource that has none of its own: stack, logical id, a random suffix. */
const generatedName = (deployment: Deployment, logicalId: string) => `keystop-${deployment.stage}-${logicalId}-1A2B3C4D5E6F`;

/** The template with its conditions chosen and every Ref, GetAtt, Sub, Join and Split replaced by what they deploy as. */
export function deployedTemplate(template: CfnTemplate, deployment: Deployment = DEPLOYMENT): CfnTemplate {
  const resolved = resolveConditions(template);
  const { account, region } = deployment;
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': account, 'AWS::Region': region };
  const resource = (id: string) => {
    const found = resolved.Resources[id];
    if (!found) throw new Error(`no resource ${id} in the template`);
    return found;
  };
  const roleName = (id: string) => resource(id).Properties.RoleName ?? generatedName(deployment, id);
  const ref = (id: string): string => {
    if (id in pseudo) return pseudo[id]!;
    const { Type, Properties } = resource(id);
    switch (Type) {
      case 'AWS::IAM::Role':
        return roleName(id);
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${account}:${Properties.TopicName}`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${account}/${Properties.QueueName}`;
      case 'AWS::DynamoDB::Table':
        return Properties.TableName;
      default:
        return `ref:${id}`;
    }
  };
  const getAtt = (id: string, attribute: string): string => {
    const { Type, Properties } = resource(id);
    if (attribute !== 'Arn') return `getatt:${id}.${attribute}`;
    switch (Type) {
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${account}:role${Properties.Path ?? '/'}${roleName(id)}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${account}:${Properties.QueueName}`;
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${region}:${account}:table/${Properties.TableName}`;
      default:
        return `getatt:${id}.${attribute}`;
    }
  };
  const value = (node: any): any => {
    if (Array.isArray(node)) return node.map(value);
    if (node === null || typeof node !== 'object') return node;
    if ('Ref' in node) return ref(node.Ref);
    if ('Fn::GetAtt' in node) {
      const [id, attribute] = Array.isArray(node['Fn::GetAtt']) ? node['Fn::GetAtt'] : node['Fn::GetAtt'].split('.');
      return getAtt(id, attribute);
    }
    if ('Fn::Sub' in node) {
      const [text, variables] = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'] : [node['Fn::Sub'], {}];
      return (text as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        if (name in variables) return value(variables[name]);
        const [id, attribute] = name.split('.');
        return attribute ? getAtt(id!, attribute) : ref(id!);
      });
    }
    if ('Fn::Join' in node) return (value(node['Fn::Join'][1]) as string[]).join(node['Fn::Join'][0]);
    if ('Fn::Split' in node) return (value(node['Fn::Split'][1]) as string).split(node['Fn::Split'][0]);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, value(v)]));
  };
  return { ...resolved, Resources: value(resolved.Resources) };
}

/** The role ARNs of a deployed template's roles, by logical id. */
export function roleArns(deployed: CfnTemplate, deployment: Deployment = DEPLOYMENT): Record<string, string> {
  return Object.fromEntries(
    Object.entries(deployed.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .map(([id, r]) => [
        id,
        `arn:aws:iam::${deployment.account}:role${r.Properties.Path ?? '/'}${r.Properties.RoleName ?? generatedName(deployment, id)}`,
      ]),
  );
}

export type Policy = { Version: string; Statement: unknown[] };

export const allowEverything: Policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

export interface Request {
  /** An IAM role or user ARN, or a service principal (`cloudwatch.amazonaws.com`). */
  principal: string;
  action: string;
  resource: string;
  /** The account the resource lives in (default: the principal's). */
  resourceAccount?: string;
  identityPolicies?: Policy[];
  resourcePolicy?: Policy;
  serviceControlPolicies?: Policy[];
  context?: Record<string, string | string[]>;
}

/**
 * 'Allowed', 'ExplicitlyDenied' or 'ImplicitlyDenied'. The context holds what AWS puts in every request of this
 * principal (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalIsAWSService, aws:PrincipalServiceName, TLS), so a
 * condition on those keys is evaluated as AWS would; the test adds the rest.
 */
export async function simulate(request: Request): Promise<string> {
  const isService = request.principal.endsWith('.amazonaws.com');
  const principalAccount = isService ? undefined : request.principal.split(':')[4]!;
  const resourceAccount = request.resourceAccount ?? principalAccount ?? DEPLOYMENT.account;
  const context: Record<string, string | string[]> = isService
    ? { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': request.principal, 'aws:SecureTransport': 'true' }
    : {
        'aws:PrincipalArn': request.principal,
        'aws:PrincipalAccount': principalAccount!,
        'aws:PrincipalIsAWSService': 'false',
        'aws:SecureTransport': 'true',
      };
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: resourceAccount },
        contextVariables: { ...context, ...request.context },
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
      // SCPs filter what the organisation's FullAWSAccess (attached by default) allows.
      serviceControlPolicies: request.serviceControlPolicies
        ? [
            {
              orgIdentifier: `ou-${resourceAccount}`,
              policies: [allowEverything, ...request.serviceControlPolicies].map((policy, i) => ({ name: `scp-${i}`, policy })),
            },
          ]
        : [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`the simulation refused the request: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
