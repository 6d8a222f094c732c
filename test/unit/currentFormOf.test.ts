import {
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  type IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { type Creation, withRenames } from '../../src/domain/Creation';
import { currentFormOf } from '../../src/facts/currentFormOf';

const at = (minute: number) => `2026-12-06T03:${String(minute).padStart(2, '0')}:00Z`;
const noSuch = () => new NoSuchEntityException({ message: 'not found', $metadata: {} });

/** IAM as a table: users (name → id and keys), keys' owners as GetAccessKeyLastUsed answers. */
function iamWith(users: Record<string, { id: string; keys: string[] }>): IAMClient & { calls: string[] } {
  const calls: string[] = [];
  const send = async (command: unknown) => {
    calls.push((command as object).constructor.name);
    if (command instanceof GetUserCommand) {
      const user = users[command.input.UserName!];
      if (user === undefined) throw noSuch();
      return { User: { UserName: command.input.UserName, UserId: user.id, Path: '/', Tags: [] } };
    }
    if (command instanceof ListAccessKeysCommand) {
      const user = users[command.input.UserName!];
      if (user === undefined) throw noSuch();
      return { AccessKeyMetadata: user.keys.map((AccessKeyId) => ({ AccessKeyId, Status: 'Active' })) };
    }
    if (command instanceof GetAccessKeyLastUsedCommand) {
      const owner = Object.entries(users).find(([, u]) => u.keys.includes(command.input.AccessKeyId!));
      if (owner === undefined) throw noSuch();
      return { UserName: owner[0] };
    }
    throw new Error(`unexpected ${calls.at(-1)}`);
  };
  return { send, calls } as unknown as IAMClient & { calls: string[] };
}

const BACKDOOR_ID = 'AIDAEXAMPLEBACKDOOR1';
const KEY = 'AKIAEXAMPLEBACKDOOR1';
const user: Creation = { kind: 'user', userName: 'backdoor', userId: BACKDOOR_ID, at: at(10) };
const key: Creation = { kind: 'access-key', userName: 'backdoor', accessKeyId: KEY, at: at(11) };

describe('A followed creation as IAM has it now (a renamed user by its id, a key by its own id)', () => {
  it('finds a user renamed by someone else through the current owner of a key its creator made for it, and checks the id', async () => {
    const iam = iamWith({ 'svc-reporting': { id: BACKDOOR_ID, keys: [KEY] }, backdoor: { id: 'AIDAEXAMPLENEWCOMER1', keys: [] } });

    const found = await currentFormOf(user, [user, key], iam);

    expect(found).toMatchObject({ creation: { kind: 'user', userName: 'svc-reporting' }, renamed: 'user backdoor is now svc-reporting' });
  });

  it('does not take another user now holding the recorded name for the one created (the ids differ)', async () => {
    const iam = iamWith({ backdoor: { id: 'AIDAEXAMPLENEWCOMER1', keys: [] } });

    expect(await currentFormOf(user, [user], iam)).toEqual({
      gone: `user backdoor is now another user (AIDAEXAMPLENEWCOMER1), not the one created (${BACKDOOR_ID})`,
    });
  });

  it('follows a created key to the user that holds it now, when the recorded user no longer lists it', async () => {
    const iam = iamWith({ 'svc-reporting': { id: BACKDOOR_ID, keys: [KEY] } });

    expect(await currentFormOf(key, [key], iam)).toMatchObject({
      creation: { kind: 'access-key', userName: 'svc-reporting', accessKeyId: KEY },
      renamed: 'user backdoor is now svc-reporting',
    });
  });

  it('keeps a user whose recorded name still carries its id, with one read', async () => {
    const iam = iamWith({ backdoor: { id: BACKDOOR_ID, keys: [] } });

    expect(await currentFormOf(user, [user], iam)).toMatchObject({ creation: user });
    expect(iam.calls).toEqual(['GetUserCommand']);
  });
});

describe("The creator's own renames", () => {
  it('name what was made for a user before the rename by the new name, through a chain, and leave what was made after under the old name alone', () => {
    const renames: Creation[] = [
      { kind: 'user-renamed', userName: 'backdoor', newUserName: 'svc-a', at: at(12) },
      { kind: 'user-renamed', userName: 'svc-a', newUserName: 'svc-b', at: at(13) },
    ];
    const later: Creation = { kind: 'user', userName: 'backdoor', at: at(14) };

    expect(withRenames([later, key, ...renames, user])).toEqual([
      { ...user, userName: 'svc-b' },
      { ...key, userName: 'svc-b' },
      ...renames,
      later,
    ]);
  });
});
