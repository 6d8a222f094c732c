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
  /** A user it created: its keys deactivated and its sessions denied. */
  z.object({ kind: z.literal('user'), userName: IamName, at: At }),
  /** A role it created: its sessions denied. */
  z.object({ kind: z.literal('role'), roleName: IamName, at: At }),
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

/** What one credential (a long-term key) made with one call, in one account: remembered under that key. */
export interface Made {
  accountId: string;
  creatorKeyId: string;
  creations: Creation[];
}
