import type { IAMClient, IAMClientConfig } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { ActionClients } from '../actions/ContainmentAction';
import type { CredentialIncident } from '../domain/CredentialIncident';
import { markMemberRoleRefusal } from '../domain/errors';
import { roleSessionName } from './roleSessionName';

/** The clients that act in the account that owns an incident's credential. */
export type ClientsFor = (incident: Pick<CredentialIncident, 'id' | 'accountId'>) => ActionClients;

/** The role Keystop assumes in member accounts (deploy/member-role.yml). */
type CredentialProvider = Extract<NonNullable<IAMClientConfig['credentials']>, (...args: never[]) => unknown>;

export interface MemberRole {
  name: string;
  externalId: string;
}

export interface AccountClientsSettings {
  /** The account the function runs in, whose clients are `own`. */
  ownAccountId: string;
  own: ActionClients;
  /** Undefined: single-account deployment, no other account can be reached. */
  memberRole: MemberRole | undefined;
  /** Called at the first AssumeRole, so that a deployment without member accounts never builds an STS client. */
  sts: () => STSClient;
  /** An IAM client like `own.iam` but signing with these credentials. */
  iamWith: (credentials: CredentialProvider) => IAMClient;
  partition?: string;
}

/** Long enough for one incident's calls (the function times out at 30 s), the shortest STS issues. */
const SESSION_SECONDS = 900;
/** A container handles one event at a time; this only bounds memory over a long-lived container's life. */
const MAX_CACHED_ACCOUNTS = 100;

class AccountNotReachableError extends Error {
  override readonly name = 'AccountNotReachableError';
}

/**
 * The own account's clients for incidents in it; for a member account, clients signing with the member role
 * assumed for this incident. The role is assumed lazily (at the first call), so a refused AssumeRole surfaces as a
 * failed step with its reason in the alert. One session is cached per account, replaced when an other incident of
 * that account arrives: redeliveries and retries reuse it, and every call in the member account's CloudTrail names
 * the incident it was made for. The SDK keeps the session's credentials until they near expiry, then assumes again.
 */
export function clientsForAccounts(settings: AccountClientsSettings): ClientsFor {
  const { ownAccountId, own, memberRole, sts, iamWith, partition = 'aws' } = settings;
  const sessions = new Map<string, { incidentId: string; clients: ActionClients }>();
  return ({ id, accountId }) => {
    if (accountId === ownAccountId) return own;
    if (memberRole === undefined) {
      throw new AccountNotReachableError(`account ${accountId} is not Keystop's own (${ownAccountId}) and no member role is configured`);
    }
    if (!/^\d{12}$/.test(accountId)) throw new AccountNotReachableError(`"${accountId}" is not an AWS account id`);
    const cached = sessions.get(accountId);
    if (cached?.incidentId === id) return cached.clients;
    const params = {
      RoleArn: `arn:${partition}:iam::${accountId}:role/${memberRole.name}`,
      RoleSessionName: roleSessionName(id),
      ExternalId: memberRole.externalId,
      DurationSeconds: SESSION_SECONDS,
    };
    const credentials: CredentialProvider = async () => {
      try {
        const { Credentials: c } = await sts().send(new AssumeRoleCommand(params));
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (error) {
        throw new AccountNotReachableError(`could not assume ${params.RoleArn}: ${(error as Error).message}`, { cause: error });
      }
    };
    const iam = iamWith(credentials);
    iam.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          throw markMemberRoleRefusal(error, params.RoleArn);
        }
      },
      { step: 'initialize', name: 'keystopMemberRoleRefusal' },
    );
    const clients = { iam };
    sessions.delete(accountId);
    sessions.set(accountId, { incidentId: id, clients });
    if (sessions.size > MAX_CACHED_ACCOUNTS) sessions.delete(sessions.keys().next().value!);
    return clients;
  };
}
