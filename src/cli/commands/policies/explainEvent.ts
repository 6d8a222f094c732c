import { actionCatalog } from '../../../actions/actionCatalog';
import { defaultGuardrails, type Guardrails } from '../../../decide/Guardrails';
import { planResponse } from '../../../decide/planResponse';
import type { ResponsePolicy } from '../../../decide/ResponsePolicy';
import type { CredentialIncident } from '../../../domain/CredentialIncident';
import { MalformedEventError } from '../../../domain/errors';
import { eventSourceFor, noSourceSettings, type SourceSettings } from '../../../sources/eventSources';
import { parseEvent } from '../../../sources/parseEvent';
import { unrecognizedEvent } from '../../input/readEvents';

/** What `policies explain` found: the plan for each incident, or why there is none. */
export type Explanation =
  | { kind: 'ignored'; reason: string; detail: string }
  | { kind: 'malformed'; detail: string }
  | {
      kind: 'incidents';
      plans: {
        incident: Pick<CredentialIncident, 'id' | 'type' | 'severity' | 'accountId'> & { credentialKind: string };
        policy: string | null;
        reason: string;
        execute: boolean;
        explanation: string;
        steps: string[];
        inapplicable: string[];
      }[];
    };

/** Pure: the plan for each incident of an event. Exemption tags are read live from IAM when responding, so not here. */
export function explainEvent(
  event: unknown,
  policies: readonly ResponsePolicy[],
  settings: SourceSettings = noSourceSettings,
  guardrails: Guardrails = defaultGuardrails,
): Explanation {
  const source = eventSourceFor(event, settings);
  if (source === undefined) return { kind: 'ignored', reason: 'not-a-credential-finding', detail: unrecognizedEvent(event) };
  let adapted: ReturnType<typeof source.adapt>;
  try {
    adapted = source.adapt(parseEvent(source.name, source.schema, event));
  } catch (error) {
    if (error instanceof MalformedEventError) return { kind: 'malformed', detail: error.message };
    throw error;
  }
  if (adapted.kind === 'ignored') return { kind: 'ignored', reason: adapted.reason, detail: adapted.detail };
  if (adapted.kind === 'tamper') {
    const [report] = adapted.reports;
    return {
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: `${report!.api} by ${report!.actor} is a change the tamper guard watches (${report!.change}): no policy decides it; it is undone only if Keystop contained that credential`,
    };
  }
  return {
    kind: 'incidents',
    plans: adapted.incidents.map((incident) => {
      const plan = planResponse(policies, incident, guardrails);
      return {
        incident: {
          id: incident.id,
          type: incident.type,
          severity: incident.severity,
          accountId: incident.accountId,
          credentialKind: incident.credential.kind,
        },
        policy: plan.policy ?? null,
        reason: plan.reason,
        execute: plan.execute,
        explanation: plan.explanation,
        steps: plan.steps.map((step) => actionCatalog[step.type].describe(incident)),
        inapplicable: plan.inapplicable.map((step) => step.type),
      };
    }),
  };
}
