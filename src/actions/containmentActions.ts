import type { ActionType } from '../policies/ResponsePolicy';
import type { ContainmentAction } from './ContainmentAction';
import { deactivateAccessKey } from './deactivateAccessKey';

/** Every containment action by its type: the one place a policy's action spec meets code. */
export const containmentActions: { [T in ActionType]: ContainmentAction<T> } = {
  'deactivate-access-key': deactivateAccessKey,
};
