import type { Explanation } from '../commands/policies/explainEvent';

/** Pure: the lines `policies explain` prints. */
export function formatExplanation(explanation: Explanation): string[] {
  if (explanation.kind === 'ignored') return [`ignored (${explanation.reason}): ${explanation.detail}`];
  if (explanation.kind === 'malformed') return [`FAILED (malformed-event): ${explanation.detail}`];
  return explanation.plans.flatMap((plan) => [
    `incident ${plan.incident.id}: ${plan.incident.type}, ${plan.incident.credentialKind} (severity ${plan.incident.severity})`,
    `  policy: ${plan.policy ?? '(none)'}; reason: ${plan.reason}; ${plan.execute ? 'would act' : 'would only alert'}`,
    `  why: ${plan.explanation}`,
    ...plan.steps.map((step) => `  - ${plan.execute ? 'would' : 'held back:'} ${step}`),
    ...plan.inapplicable.map((type) => `  - not applicable to a ${plan.incident.credentialKind}: ${type}`),
    '  - then alert responders',
  ]);
}
