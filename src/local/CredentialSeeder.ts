import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetRoleCommand,
  GetUserCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { CredentialIncident } from '../domain/CredentialIncident';

/** A principal the sandbox created, and which of its keys stand in for keys that events named. */
interface SeededPrincipal {
  accountId: string;
  kind: 'user' | 'role';
  name: string;
  namedKeys: Set<string>;
}

export interface PrincipalState {
  /** The account the principal lives in: the incident's (moto keeps each account's IAM apart). */
  accountId: string;
  kind: 'user' | 'role';
  name: string;
  keys: { accessKeyId: string; status: string; named: boolean }[];
  inlinePolicies: string[];
}

/**
 * Seeds, on the local emulator, the principals that incidents name: for a key, its user with a real key standing in
 * for the named one plus an active decoy key that must stay untouched. It remembers which seeded key stands in for
 * which reported key id, so several events naming the same key meet the same seeded key.
 */
export class CredentialSeeder {
  private readonly standIns = new Map<string, string>();
  private readonly principals = new Map<string, SeededPrincipal>();
  private generatedOwners = 0;

  /** `iamFor` gives IAM clients acting in an account, so each principal is seeded where its incident says it lives. */
  constructor(private readonly iamFor: (accountId: string) => IAMClient) {}

  /** Reported key id → seeded key id, for rewriting events. */
  get keyIds(): ReadonlyMap<string, string> {
    return this.standIns;
  }

  async seed(incident: CredentialIncident): Promise<void> {
    const { credential, accountId } = incident;
    switch (credential.kind) {
      case 'long-term-key':
        // When the event names only the key, its owner gets a generated name: the responder must find it itself.
        await this.seedKey(accountId, credential.userName ?? `sandbox-key-owner-${++this.generatedOwners}`, credential.accessKeyId);
        return;
      case 'user-session':
      case 'iam-user': {
        // The user, with long-term keys: session containment must leave them alone, and what a policy does to a
        // user named without a key can be seen on them.
        const user = await this.ensurePrincipal(accountId, 'user', credential.userName);
        if ((await this.keysOf(user)).length === 0) await this.createKey(user);
        return;
      }
      case 'role-session':
        await this.ensurePrincipal(accountId, 'role', credential.roleName);
        return;
      case 'federated-session':
      case 'root':
      case 'unmapped':
        return;
    }
  }

  /** The key standing in for a reported key id of this user, created (with a decoy) unless an earlier event named it. */
  async seedKey(accountId: string, userName: string, reportedKeyId: string): Promise<string> {
    const known = this.standIns.get(reportedKeyId);
    if (known) return known;
    const user = await this.ensurePrincipal(accountId, 'user', userName);
    const standIn = await this.createKey(user);
    this.adopt(user, reportedKeyId, standIn);
    return standIn;
  }

  /** A user or role an event names, created unless it exists. */
  async seedPrincipal(accountId: string, kind: 'user' | 'role', name: string): Promise<void> {
    await this.ensurePrincipal(accountId, kind, name);
  }

  /**
   * A key created on the emulator by a recorded call (CreateAccessKey) stands in for the key id the record returned,
   * so later events naming that id meet it. Before creating it, `makeRoomFor` deletes a key no event named (the
   * seeded decoy) when the user holds IAM's maximum of two: the recorded call succeeded in AWS, so there was room.
   */
  async makeRoomFor(accountId: string, userName: string): Promise<string | undefined> {
    const user = await this.ensurePrincipal(accountId, 'user', userName);
    const keys = await this.keysOf(user);
    const spare = keys.find((k) => !user.namedKeys.has(k.AccessKeyId!));
    if (keys.length < 2 || spare === undefined) return undefined;
    await this.iamFor(accountId).send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: spare.AccessKeyId! }));
    return spare.AccessKeyId!;
  }

  adoptKey(accountId: string, userName: string, reportedKeyId: string, createdKeyId: string): void {
    const user = this.principals.get(`${accountId}/user/${userName}`);
    if (user) this.adopt(user, reportedKeyId, createdKeyId);
  }

  private adopt(user: SeededPrincipal, reportedKeyId: string, standIn: string): void {
    this.standIns.set(reportedKeyId, standIn);
    user.namedKeys.add(standIn);
  }

  /** The event with every reported key id replaced by its seeded stand-in. */
  rewrite<T>(event: T): T {
    let text = JSON.stringify(event);
    for (const [reported, seeded] of this.standIns) text = text.split(reported).join(seeded);
    return JSON.parse(text) as T;
  }

  /** Every seeded principal as IAM has it now: keys with their status, inline policies. */
  async state(): Promise<PrincipalState[]> {
    const states: PrincipalState[] = [];
    for (const principal of this.principals.values()) {
      const iam = this.iamFor(principal.accountId);
      if (principal.kind === 'user') {
        const keys = await this.keysOf(principal);
        const { PolicyNames = [] } = await iam.send(new ListUserPoliciesCommand({ UserName: principal.name }));
        states.push({
          accountId: principal.accountId,
          kind: 'user',
          name: principal.name,
          keys: keys.map((k) => ({
            accessKeyId: k.AccessKeyId!,
            status: k.Status!,
            named: principal.namedKeys.has(k.AccessKeyId!),
          })),
          inlinePolicies: PolicyNames,
        });
      } else {
        const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: principal.name }));
        states.push({ accountId: principal.accountId, kind: 'role', name: principal.name, keys: [], inlinePolicies: PolicyNames });
      }
    }
    return states;
  }

  private async ensurePrincipal(accountId: string, kind: 'user' | 'role', name: string): Promise<SeededPrincipal> {
    const id = `${accountId}/${kind}/${name}`;
    const known = this.principals.get(id);
    if (known) return known;
    const iam = this.iamFor(accountId);
    if (!(await this.exists(iam, kind, name))) {
      if (kind === 'user') await iam.send(new CreateUserCommand({ UserName: name }));
      else await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy(accountId) }));
    }
    const principal: SeededPrincipal = { accountId, kind, name, namedKeys: new Set() };
    this.principals.set(id, principal);
    return principal;
  }

  private async exists(iam: IAMClient, kind: 'user' | 'role', name: string): Promise<boolean> {
    try {
      if (kind === 'user') await iam.send(new GetUserCommand({ UserName: name }));
      else await iam.send(new GetRoleCommand({ RoleName: name }));
      return true;
    } catch (error) {
      if (error instanceof NoSuchEntityException) return false;
      throw error;
    }
  }

  /**
   * A key standing in for a reported one. A fresh user also gets a decoy key; IAM allows two keys per user, so a
   * user named by two reported keys has its decoy become the second stand-in.
   */
  private async createKey(user: SeededPrincipal): Promise<string> {
    const existing = await this.keysOf(user);
    const iam = this.iamFor(user.accountId);
    const spare = existing.find((k) => !user.namedKeys.has(k.AccessKeyId!));
    if (existing.length >= 2 && spare) {
      // A user left in a shared emulator by an earlier run: its spare key stands in for a leaked, so active, key.
      if (spare.Status !== 'Active') {
        await iam.send(new UpdateAccessKeyCommand({ UserName: user.name, AccessKeyId: spare.AccessKeyId!, Status: 'Active' }));
      }
      return spare.AccessKeyId!;
    }
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: user.name }));
    if (existing.length === 0) await iam.send(new CreateAccessKeyCommand({ UserName: user.name }));
    return AccessKey!.AccessKeyId!;
  }

  private async keysOf(user: SeededPrincipal) {
    const iam = this.iamFor(user.accountId);
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: user.name }));
    return AccessKeyMetadata;
  }
}

function trustPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }],
  });
}
