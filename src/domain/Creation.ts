import * as z from '../zod';

const At = z.string().check(z.minLength(1));
const IamName = z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM name'));

/**
 * Something a credential made in IAM that a leaked credential should not leave behind: what Keystop follows when it
 * contains that credential (src/sources/creationsOf.ts reads them from CloudTrail). A zod schema because it is
 * stored (src/stores/dynamoCreationLog.ts) and read back from a table that is not ours alone to write.
 */
export const Creation = z.discriminatedUnion('kind', [
  /** An access key the credential created, for any user (itself included): deactivated with it. */
  z.object({
    kind: z.literal('access-key'),
    userName: IamName,
    accessKeyId: z.string().check(z.regex(/^AKIA[A-Z0-9]{12,124}$/)),
    at: At,
  }),
  /**
   * A user it created: its keys deactivated and its sessions denied. `userId` (CloudTrail's responseElements.user.userId)
   * outlives a rename: the user is followed by it, and a name taken by another user since is not that user.
   */
  z.object({
    kind: z.literal('user'),
    userName: IamName,
    // IAM's are AIDA + 17 upper-case letters and digits; the emulator's are lower-case.
    userId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{16,128}$/))),
    at: At,
  }),
  /** A role it created: its sessions denied. */
  z.object({ kind: z.literal('role'), roleName: IamName, at: At }),
  /**
   * A user it renamed (UpdateUser --new-user-name): what it made for that user is followed under the new name, and the
   * rename is listed with the command to undo it.
   */
  z.object({ kind: z.literal('user-renamed'), userName: IamName, newUserName: IamName, at: At }),
  /** A console password it created or changed: listed with the command to undo it (a human decides). */
  z.object({ kind: z.literal('login-profile'), userName: IamName, change: z.enum(['created', 'changed']), at: At }),
  /** A policy it attached or wrote: listed with the command to undo it (a human decides). */
  z.object({
    kind: z.literal('policy'),
    on: z.enum(['user', 'role', 'group']),
    name: IamName,
    policy: z.string().check(z.regex(/^(arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}|[\w+=,.@-]{1,128})$/)),
    how: z.enum(['attached', 'inline']),
    at: At,
  }),
]);
export type Creation = z.infer<typeof Creation>;

/** One thing made, whenever it was recorded: the same call delivered twice is one. */
export const creationIdentity = ({ at: _at, ...what }: Creation) => JSON.stringify(what);

/** The creations that are listed, not changed: undoing them is a human's decision (src/sources/creationsOf.ts). */
export type ListedCreation = Extract<Creation, { kind: 'login-profile' | 'policy' | 'user-renamed' }>;

/**
 * Pure: what was made for a user before the same creator renamed it now names the user by its new name (a chain of
 * renames is followed in time order); what was made under the old name after the rename is another user's.
 */
export function withRenames(creations: readonly Creation[]): Creation[] {
  const sorted = [...creations].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  let result = sorted;
  for (const rename of sorted.filter((c) => c.kind === 'user-renamed')) {
    const before = (c: Creation) => Date.parse(c.at) <= Date.parse(rename.at) && c !== rename;
    result = result.map((c) => (before(c) ? renamedIn(c, rename.userName, rename.newUserName) : c));
  }
  return result;
}

function renamedIn(creation: Creation, from: string, to: string): Creation {
  switch (creation.kind) {
    case 'access-key':
    case 'user':
    case 'login-profile':
      return creation.userName === from ? { ...creation, userName: to } : creation;
    case 'policy':
      return creation.on === 'user' && creation.name === from ? { ...creation, name: to } : creation;
    default:
      return creation;
  }
}

/** What one credential (a long-term key) made with one call, in one account: remembered under that key. */
export interface Made {
  accountId: string;
  creatorKeyId: string;
  creations: Creation[];
}
