import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  LimitExceededException,
  ListAccessKeysCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';

/** One user or role as the fake holds it: what an action may change about it. */
interface FakePrincipal {
  keys: { id: string; status: 'Active' | 'Inactive' }[];
  inline: Map<string, string>;
  attached: Set<string>;
  tags: Map<string, string>;
  /** Writing an inline policy fails with LimitExceeded, as when the principal's inline-policy quota is full. */
  inlineQuotaFull: boolean;
}

/** A request the fake received: the command's name without `Command`, and its input. */
export interface FakeRequest {
  name: string;
  input: Record<string, unknown>;
}

type Input = Record<string, unknown>;

const gone = (what: string) => new NoSuchEntityException({ message: `${what} cannot be found.`, $metadata: {} });

/**
 * An in-memory IAM for the actions' unit tests: users with keys, roles, inline and attached policies and tags, behind
 * the one method actions call (`send`). It answers as IAM does where a decision depends on it (NoSuchEntity for an
 * unknown user, key or policy; LimitExceeded when an inline-policy quota is full) and records every request.
 *
 * It is order-honest: ListAccessKeys lists a user's keys newest first, so a user made with the named key first and a
 * decoy after it lists the decoy first, and an action that deactivates "the first key" fails the test. IAM itself
 * promises no order.
 */
export class FakeIam {
  readonly requests: FakeRequest[] = [];
  private readonly users = new Map<string, FakePrincipal>();
  private readonly roles = new Map<string, FakePrincipal>();
  /** Errors the next request of a kind throws (once each), e.g. a throttled UpdateAccessKey. */
  private readonly failNext = new Map<string, Error[]>();

  /** The fake, typed as the SDK client the actions take. */
  readonly client = { send: (command: unknown) => this.send(command) } as unknown as IAMClient;

  /** A user with these keys (created in this order: the last is the newest, listed first). */
  addUser(name: string, keys: { id: string; status?: 'Active' | 'Inactive' }[] = [], options: { inlineQuotaFull?: boolean } = {}) {
    this.users.set(name, principal(keys, options.inlineQuotaFull));
    return this;
  }

  addRole(name: string, options: { inlineQuotaFull?: boolean } = {}) {
    this.roles.set(name, principal([], options.inlineQuotaFull));
    return this;
  }

  /** The next request named `name` (e.g. 'UpdateAccessKey') throws this error; later ones run normally. */
  failNextWith(name: string, error: Error) {
    this.failNext.set(name, [...(this.failNext.get(name) ?? []), error]);
    return this;
  }

  keyStatus(userName: string, keyId: string) {
    return this.users.get(userName)?.keys.find((key) => key.id === keyId)?.status;
  }

  user(name: string) {
    return this.users.get(name);
  }

  role(name: string) {
    return this.roles.get(name);
  }

  /** The requests that changed something (not List*, Get*). */
  writes() {
    return this.requests.filter((r) => !/^(List|Get)/.test(r.name));
  }

  private async send(command: unknown): Promise<unknown> {
    const handler = this.handlers.get((command as object).constructor);
    if (handler === undefined) throw new Error(`the fake IAM does not know ${(command as object).constructor.name}`);
    const name = (command as object).constructor.name.replace(/Command$/, '');
    const input = (command as { input: Input }).input;
    this.requests.push({ name, input });
    const failure = this.failNext.get(name)?.shift();
    if (failure) throw failure;
    return handler(input);
  }

  private userNamed(input: Input) {
    const user = this.users.get(input.UserName as string);
    if (user === undefined) throw gone(`The user with name ${String(input.UserName)}`);
    return user;
  }

  private roleNamed(input: Input) {
    const role = this.roles.get(input.RoleName as string);
    if (role === undefined) throw gone(`The role with name ${String(input.RoleName)}`);
    return role;
  }

  private readonly handlers = new Map<unknown, (input: Input) => unknown>([
    [
      ListAccessKeysCommand,
      (input) => ({
        AccessKeyMetadata: [...this.userNamed(input).keys]
          .reverse()
          .map((key) => ({ UserName: input.UserName, AccessKeyId: key.id, Status: key.status })),
      }),
    ],
    [
      UpdateAccessKeyCommand,
      (input) => {
        const key = this.userNamed(input).keys.find((k) => k.id === input.AccessKeyId);
        if (key === undefined) throw gone(`The Access Key with id ${String(input.AccessKeyId)}`);
        key.status = input.Status as 'Active' | 'Inactive';
        return {};
      },
    ],
    [
      GetAccessKeyLastUsedCommand,
      // The key's owner; for a key it does not know, no UserName (what readKeyOwner reads as "IAM did not say").
      (input) => {
        const owner = [...this.users].find(([, user]) => user.keys.some((key) => key.id === input.AccessKeyId));
        return owner ? { UserName: owner[0] } : {};
      },
    ],
    [PutUserPolicyCommand, (input) => putInline(this.userNamed(input), input)],
    [PutRolePolicyCommand, (input) => putInline(this.roleNamed(input), input)],
    [DeleteUserPolicyCommand, (input) => deleteInline(this.userNamed(input), input)],
    [DeleteRolePolicyCommand, (input) => deleteInline(this.roleNamed(input), input)],
    [AttachUserPolicyCommand, (input) => this.userNamed(input).attached.add(input.PolicyArn as string) && {}],
    [AttachRolePolicyCommand, (input) => this.roleNamed(input).attached.add(input.PolicyArn as string) && {}],
    [DetachUserPolicyCommand, (input) => detach(this.userNamed(input), input)],
    [DetachRolePolicyCommand, (input) => detach(this.roleNamed(input), input)],
    [TagUserCommand, (input) => tag(this.userNamed(input), input)],
    [TagRoleCommand, (input) => tag(this.roleNamed(input), input)],
    [UntagUserCommand, (input) => untag(this.userNamed(input), input)],
    [UntagRoleCommand, (input) => untag(this.roleNamed(input), input)],
  ]);
}

function principal(keys: { id: string; status?: 'Active' | 'Inactive' }[], inlineQuotaFull = false): FakePrincipal {
  return {
    keys: keys.map((key) => ({ id: key.id, status: key.status ?? 'Active' })),
    inline: new Map(),
    attached: new Set(),
    tags: new Map(),
    inlineQuotaFull,
  };
}

function putInline(principal: FakePrincipal, input: Input) {
  if (principal.inlineQuotaFull)
    throw new LimitExceededException({ message: 'Maximum policy size of 2048 bytes exceeded.', $metadata: {} });
  principal.inline.set(input.PolicyName as string, input.PolicyDocument as string);
  return {};
}

function deleteInline(principal: FakePrincipal, input: Input) {
  if (!principal.inline.delete(input.PolicyName as string)) throw gone(`The policy with name ${String(input.PolicyName)}`);
  return {};
}

function detach(principal: FakePrincipal, input: Input) {
  if (!principal.attached.delete(input.PolicyArn as string)) throw gone(`Policy ${String(input.PolicyArn)} was not attached`);
  return {};
}

function tag(principal: FakePrincipal, input: Input) {
  for (const { Key, Value } of input.Tags as { Key: string; Value: string }[]) principal.tags.set(Key, Value);
  return {};
}

function untag(principal: FakePrincipal, input: Input) {
  for (const key of input.TagKeys as string[]) principal.tags.delete(key);
  return {};
}
