import { type CredentialIncident, type CredentialKind, iamPrincipalOf } from '../domain/CredentialIncident';
import { principalRef } from '../domain/identifiers';
import { strictObject } from '../domain/strictObject';
import * as z from '../zod';

/**
 * The action catalog: what policies, the planner, the permission check and the docs know of each containment
 * action, without the AWS SDK. The implementations (containmentActions.ts) import this; nothing here imports them.
 */
export const actionTypes = ['deactivate-access-key', 'revoke-sessions', 'tag-principal', 'deactivate-user-keys'] as const;
export type ActionType = (typeof actionTypes)[number];

/** A policy's action spec. Each action is its own strict object, so an option that an action does not take is an error too. */
export const ActionSpec = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('deactivate-access-key') }),
    strictObject({ type: z.literal('revoke-sessions') }),
    strictObject({ type: z.literal('tag-principal') }),
    strictObject({ type: z.literal('deactivate-user-keys') }),
  ],
  {
    error: (issue) =>
      `unknown action type ${JSON.stringify((issue.input as { type?: unknown })?.type)}; valid types: ${actionTypes.join(', ')}`,
  },
);
export type ActionSpec = z.infer<typeof ActionSpec>;

/**
 * An action as data: the IAM permissions it needs (a test holds serverless.yml to exactly these), the credential
 * kinds it can contain, and how reports name what it touches.
 */
export interface ActionEntry<T extends ActionType = ActionType> {
  type: T;
  permissions: readonly string[];
  appliesTo: readonly CredentialKind[];
  /** What the action would touch, for reports of steps not taken. */
  targetOf(incident: CredentialIncident): string;
  /** A phrase for "would have …" reports, e.g. "deactivate access key AKIA…". */
  describe(incident: CredentialIncident): string;
}

const principalTarget = (incident: CredentialIncident) => {
  const principal = iamPrincipalOf(incident.credential);
  return principal ? principalRef(principal) : 'none';
};

export const actionCatalog: { [T in ActionType]: ActionEntry<T> } = {
  'deactivate-access-key': {
    type: 'deactivate-access-key',
    permissions: ['iam:UpdateAccessKey', 'iam:GetAccessKeyLastUsed'],
    appliesTo: ['long-term-key'],
    targetOf: (incident) => (incident.credential.kind === 'long-term-key' ? incident.credential.accessKeyId : 'none'),
    describe: (incident) => `deactivate access key ${actionCatalog['deactivate-access-key'].targetOf(incident)}`,
  },
  'revoke-sessions': {
    type: 'revoke-sessions',
    // Attach only the AWS-managed AWSDenyAll, when the principal's inline-policy quota is full (serverless.yml bounds it
    // with iam:PolicyARN).
    permissions: ['iam:PutRolePolicy', 'iam:PutUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy'],
    appliesTo: ['role-session', 'user-session'],
    targetOf: principalTarget,
    describe: (incident) => `deny sessions of ${principalTarget(incident)} issued before now`,
  },
  'tag-principal': {
    type: 'tag-principal',
    permissions: ['iam:TagUser', 'iam:TagRole'],
    appliesTo: ['long-term-key', 'user-session', 'role-session', 'iam-user'],
    targetOf: principalTarget,
    describe: (incident) => `tag ${principalTarget(incident)} with the incident id`,
  },
  'deactivate-user-keys': {
    type: 'deactivate-user-keys',
    permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'],
    appliesTo: ['iam-user', 'long-term-key', 'user-session'],
    targetOf: (incident) => {
      const principal = iamPrincipalOf(incident.credential);
      return principal?.kind === 'user' ? `user/${principal.name}` : 'none';
    },
    describe: (incident) => `deactivate every active key of ${actionCatalog['deactivate-user-keys'].targetOf(incident)}`,
  },
};
