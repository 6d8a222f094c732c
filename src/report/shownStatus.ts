/**
 * Pure: how a step of a response is shown to people. A release's steps undo the containment (the key set Active
 * again, the deny removed), so what it did reads `undone`: `[done] deactivate-access-key … reactivated` said the
 * opposite of what happened. The stored status stays `done` (the JSON contract); the reason `released` says why.
 */
export function shownStatus(reason: string, status: string): string {
  return reason === 'released' && status === 'done' ? 'undone' : status;
}
