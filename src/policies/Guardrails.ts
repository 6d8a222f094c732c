/** Safety rails the planner applies before any policy's actions, configured per deployment. */
export interface Guardrails {
  /** Report what would be done, change nothing. */
  dryRun: boolean;
  /** Principal names or ARN patterns (`*` matches any run of characters) that are never contained. */
  exemptPrincipals: string[];
}

export const noGuardrails: Guardrails = { dryRun: false, exemptPrincipals: [] };
