import { Logger } from '@aws-lambda-powertools/logger';
import type { Deps } from '../Deps';
import { snsNotifier } from '../notify/snsNotifier';
import { defaultPolicies } from '../policies/defaultPolicies';
import type { Guardrails } from '../policies/Guardrails';
import { ResponsePolicySet, type ResponsePolicy } from '../policies/ResponsePolicy';
import { clientsForAccounts, type MemberRole } from './clientsForAccounts';
import { dynamoStateStore, type StateSettings } from '../state/dynamoStateStore';
import { createClients, type ClientOptions, type Clients } from './createClients';
import { partitionOf } from './partitionOf';

export interface DepsSettings extends ClientOptions {
  topicArn: string;
  guardrails: Guardrails;
  /** The account the clients act in; incidents in other accounts are reached through the member role. */
  accountId: string;
  /** The role to assume in member accounts; undefined in a single-account deployment. */
  memberRole?: MemberRole;
  policies?: readonly ResponsePolicy[];
  logger?: Logger;
  /** Clients already built (tests record their calls); by default they are made from the client options. */
  clients?: Clients;
  /** The DynamoDB table for de-duplication and the breaker; without it nothing is de-duplicated or counted. */
  state?: StateSettings;
}

/** The composition root: real SDK clients, the SNS notifier, the validated policies. */
export function createDeps({
  topicArn,
  guardrails,
  accountId,
  memberRole,
  policies = defaultPolicies,
  logger,
  clients: given,
  state,
  ...clientOptions
}: DepsSettings): Deps {
  const clients = given ?? createClients(clientOptions);
  return {
    clientsFor: clientsForAccounts({
      ownAccountId: accountId,
      own: { iam: clients.iam },
      memberRole,
      sts: clients.sts,
      iamWith: (credentials) => createClients({ ...clientOptions, credentials }).iam,
      partition: partitionOf(clientOptions.region),
    }),
    notifier: snsNotifier(clients.sns, topicArn),
    // Parsed when deps are built (at cold start in Lambda): a policy set that does not validate stops the
    // function before it can act wrongly.
    policies: ResponsePolicySet.parse(policies),
    guardrails,
    logger: logger ?? new Logger({ serviceName: 'keystop' }),
    now: () => new Date(),
    state: state ? dynamoStateStore(clients.dynamodb, state) : undefined,
  };
}
