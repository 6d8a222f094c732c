/**
 * The inline policy Keystop puts on a user or role to deny its stolen sessions (src/actions/revokeSessions.ts). Its
 * name and statement id live here, below both the action that writes it and the tamper guard that watches it.
 */
export const REVOKE_POLICY_NAME = 'keystop-revoke-older-sessions';
export const REVOKE_STATEMENT_ID = 'KeystopRevokeOlderSessions';

/**
 * Whether a policy document (as CloudTrail records it: JSON, sometimes URL-encoded) is still Keystop's deny: a Deny of
 * every action with a TokenIssueTime cut-off, or of every action on every resource with no condition (what a follow writes
 * on a principal the contained key made). A document of that name that is not one replaces the deny with something
 * else (the tamper guard restores it); one that is (Keystop's own repeat, `keystop contain` by a responder) does not.
 */
export function isKeystopDenyDocument(document: unknown): boolean {
  if (typeof document !== 'string') return false;
  const parsed = parsePolicyDocument(document) as { Statement?: PolicyStatement | PolicyStatement[] } | undefined;
  const statements = parsed?.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  return list.some(
    (s: PolicyStatement | undefined) =>
      s?.Sid === REVOKE_STATEMENT_ID &&
      s.Effect === 'Deny' &&
      (s.Action === '*' || (Array.isArray(s.Action) && s.Action.includes('*'))) &&
      (typeof s.Condition?.DateLessThan?.['aws:TokenIssueTime'] === 'string' ||
        // The follow's deny of every session (src/actions/followCreation.ts): no cut-off, every resource.
        (s.Condition === undefined && s.Resource === '*')),
  );
}

type PolicyStatement = {
  Sid?: unknown;
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: { DateLessThan?: Record<string, unknown> };
};

/** A policy document as CloudTrail records it (JSON text, sometimes URL-encoded), parsed; undefined if it is neither. */
export function parsePolicyDocument(text: string): unknown {
  for (const candidate of [text, safeDecode(text)]) {
    if (candidate === undefined) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // not this form
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
