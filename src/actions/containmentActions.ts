import type { ActionType } from './actionCatalog';
import type { ContainmentAction } from './ContainmentAction';
import { deactivateAccessKey } from './deactivateAccessKey';
import { deactivateUserKeys } from './deactivateUserKeys';
import { revokeSessions } from './revokeSessions';
import { tagPrincipal } from './tagPrincipal';

/** Every containment action by its type: the one place a policy's action spec meets code. */
export const containmentActions: { [T in ActionType]: ContainmentAction<T> } = {
  'deactivate-access-key': deactivateAccessKey,
  'revoke-sessions': revokeSessions,
  'tag-principal': tagPrincipal,
  'deactivate-user-keys': deactivateUserKeys,
};
