import { failureKindOf } from '../../domain/errors';

/**
 * The one failure → outcome mapping, for every use-case: what the failed steps of one response come to, by
 * failureKindOf. A transient failure anywhere is retried (the retry redoes the steps); else IAM's refusal needs a
 * person; else every failure said the credential is gone. Undefined: nothing failed.
 */
export function failureOf(failures: readonly unknown[]): 'transient' | 'denied' | 'gone' | undefined {
  if (failures.length === 0) return undefined;
  const kinds = failures.map(failureKindOf);
  if (kinds.includes('transient')) return 'transient';
  if (kinds.includes('denied')) return 'denied';
  return 'gone';
}
