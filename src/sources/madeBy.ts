import { REVOKE_POLICY_NAME } from '../actions/keystopDenyPolicy';
import type { Made } from '../domain/Creation';
import type { CloudTrailApiCallEvent } from './CloudTrailApiCallEvent';
import { creationsOf } from './creationsOf';

/**
 * The IAM calls whose creations the guard remembers (serverless.yml's guard rules name these and GUARDED_CALLS): what
 * containing the calling key later follows (src/respond/incident/followCreations.ts).
 */
export const REMEMBERED_CALLS = [
  'CreateUser',
  // A rename (--new-user-name): what was made for the user is followed under its new name.
  'UpdateUser',
  'CreateRole',
  'CreateAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'AttachUserPolicy',
  'AttachRolePolicy',
  'AttachGroupPolicy',
  'PutUserPolicy',
  'PutRolePolicy',
  'PutGroupPolicy',
] as const;

/**
 * Pure: what a long-term key (AKIA…) made with this call, to be remembered under that key. Only a long-term key is
 * followed (a session cannot be deactivated; its principal is what is contained). Keystop's own deny policy written by
 * a responder's key is Keystop's, not something to list. The account is where the call was recorded.
 */
export function madeBy(event: CloudTrailApiCallEvent): Made | undefined {
  const record = event.detail;
  const key = record.userIdentity.accessKeyId;
  if (key === undefined || !key.startsWith('AKIA')) return undefined;
  const creations = creationsOf([record], key).filter((c) => !(c.kind === 'policy' && c.policy === REVOKE_POLICY_NAME));
  if (creations.length === 0) return undefined;
  return { accountId: record.recipientAccountId ?? event.account, creatorKeyId: key, creations };
}
