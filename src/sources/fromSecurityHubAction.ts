import { type AdaptedEvent, ignored } from '../domain/AdaptedEvent';
import { approvedIncident } from './approvedIncident';
import { fromSecurityHub } from './fromSecurityHub';
import type { SecurityHubCustomActionEvent } from './SecurityHubFindingsEvent';

/** The Id of the ActionTarget serverless.yml creates ("Keystop: contain"); its ARN ends action/custom/<Id>. */
export const KEYSTOP_CONTAIN_ACTION_ID = 'KeystopContain';

/**
 * A responder selected findings in Security Hub and chose the "Keystop: contain" custom action: each credential finding
 * becomes an approved incident. The selection is a person's explicit decision, so a finding's workflow status and
 * Keystop's own earlier note do not matter here; everything else (GuardDuty only, a credential named) is read as for an
 * import. The event does not say who chose the action: CloudTrail records the console user.
 */
export function fromSecurityHubAction(event: SecurityHubCustomActionEvent): AdaptedEvent {
  // Another tool's custom action on the same hub is not an approval (the bus rule filters on the ARN; so does this).
  if (!(event.resources ?? []).some((arn) => arn.endsWith(`:action/custom/${KEYSTOP_CONTAIN_ACTION_ID}`))) {
    return ignored(
      'not-a-credential-finding',
      `custom action ${event.detail.actionName ?? '(unnamed)'} (${(event.resources ?? []).join(', ') || 'no target'}) is not Keystop's "Keystop: contain": no Keystop handler acts on it`,
    );
  }
  const asImport = {
    ...event,
    'detail-type': 'Security Hub Findings - Imported' as const,
    detail: {
      findings: event.detail.findings.map(({ Note: _note, ...finding }) => ({
        ...finding,
        Workflow: { Status: 'NEW' },
        RecordState: 'ACTIVE',
      })),
    },
  };
  const adapted = fromSecurityHub(asImport);
  if (adapted.kind !== 'incidents') return adapted;
  // AWS's custom-action event carries the findings and the action, not who chose it (Security Hub User Guide, "EventBridge
  // event formats"): say where to look instead. Whether CloudTrail records the choice is not documented; the Service
  // Authorization Reference classes its permission, securityhub:SendFindingEvents, as Read: if recorded at all, it is a
  // read-only management event (docs/threat-model.md).
  const by =
    `a responder in Security Hub (custom action "${event.detail.actionName ?? 'Keystop: contain'}" at ${event.time}; ` +
    `the event does not name who: look for securityhub.amazonaws.com SendFindingEvents in CloudTrail at that minute, ` +
    'recorded only where a trail keeps read events, if at all)';
  return { kind: 'incidents', incidents: adapted.incidents.map((incident) => approvedIncident(incident, by)) };
}
