import { FOLLOW_STEP } from '../actions/ContainmentAction';
import type { Creation } from '../domain/Creation';
import { type CredentialRecord, stepsDone } from './CredentialRecord';

/**
 * What the tamper guard watches on behalf of a contained key: each thing Keystop changed when it followed what that key
 * made (a key deactivated, a user's keys deactivated and its deny written, a role's deny written). Named by a guard
 * ref: `key/AKIA…` for a key, `user/NAME` or `role/NAME` for a principal whose deny Keystop wrote. The creator's record
 * carries them (the `followed` attribute of its item), so a change to a followed thing is answered from the creator's
 * record: guarded as long as it is, released with it.
 */
export function followedRefsOf(record: CredentialRecord): string[] {
  const refs = new Set<string>();
  for (const step of stepsDone(record)) {
    const creation = step.followed;
    if (step.type !== FOLLOW_STEP || step.status !== 'done' || creation === undefined) continue;
    if (creation.kind === 'access-key') refs.add(`key/${creation.accessKeyId}`);
    if (creation.kind === 'role') refs.add(`role/${creation.roleName}`);
    if (creation.kind === 'user') {
      refs.add(`user/${creation.userName}`);
      for (const key of step.changedKeys ?? []) refs.add(`key/${key}`);
    }
  }
  return [...refs];
}

/**
 * The followed thing a guard ref names in the creator's record, as a creation the follow step can contain again: a
 * key (one the creator made, or one of a user it made, deactivated by the follow), or a user or role whose deny
 * Keystop wrote. Undefined: Keystop changed nothing of that name when it followed.
 */
export function followedBehind(record: CredentialRecord, ref: string): Creation | undefined {
  for (const step of stepsDone(record)) {
    const creation = step.followed;
    if (step.type !== FOLLOW_STEP || step.status !== 'done' || creation === undefined) continue;
    if (creation.kind === 'access-key' && ref === `key/${creation.accessKeyId}`) return creation;
    if (creation.kind === 'role' && ref === `role/${creation.roleName}`) return creation;
    if (creation.kind !== 'user') continue;
    if (ref === `user/${creation.userName}`) return creation;
    const key = (step.changedKeys ?? []).find((k) => ref === `key/${k}`);
    if (key !== undefined) return { kind: 'access-key', accessKeyId: key, userName: creation.userName, at: creation.at };
  }
  return undefined;
}
