import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ActionResult } from '../../actions/ContainmentAction';
import type { AnsweredIncident, IncidentResponse } from '../../domain/IncidentResponse';
import { partitionOf } from '../../domain/partitionOf';
import { KEYSTOP_NOTE_AUTHOR } from '../../sources/fromSecurityHub';
import { sanitize } from '../document/sanitize';

/** Tells the SOC's console what was done: a note on the Security Hub finding, and its workflow status. */
export interface FindingUpdater {
  update(response: AnsweredIncident): Promise<ActionResult | undefined>;
}

/** Security Hub refuses notes longer than this. */
const NOTE_LIMIT = 512;

/**
 * For incidents that came from Security Hub only: BatchUpdateFindings with a note saying what Keystop did and the
 * workflow status NOTIFIED (responders have the alert). A failed containment keeps the status NEW so the finding
 * stays in the SOC's triage queue. The status change re-fires "Security Hub Findings - Imported"; the adapter
 * acts only on NEW findings, so Keystop does not answer its own update.
 */
export function securityHubFindingUpdater(securityHubIn: (region: string) => Promise<SecurityHubClient>): FindingUpdater {
  return {
    async update(response) {
      const { incident } = response;
      if (incident.source !== 'security-hub') return undefined;
      const id = incident.origin.findingArn ?? incident.origin.findingId;
      const region = incident.origin.productArn?.split(':')[3] || incident.region;
      const productArn = incident.origin.productArn ?? `arn:${partitionOf(region)}:securityhub:${region}::product/aws/guardduty`;
      const failed = response.outcome === 'failed';
      // Imported here, not at the top: the module stays out of the bundle and out of cold start (see createClients).
      const { BatchUpdateFindingsCommand } = await import('@aws-sdk/client-securityhub');
      const { UnprocessedFindings = [] } = await (await securityHubIn(region)).send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: [{ Id: id, ProductArn: productArn }],
          Note: { Text: noteOf(response), UpdatedBy: KEYSTOP_NOTE_AUTHOR },
          ...(failed ? {} : { Workflow: { Status: 'NOTIFIED' } }),
        }),
      );
      if (UnprocessedFindings.length > 0) {
        const [first] = UnprocessedFindings;
        throw new Error(`Security Hub did not update finding ${id}: ${first?.ErrorCode ?? ''} ${first?.ErrorMessage ?? ''}`.trim());
      }
      return {
        type: 'update-finding',
        status: 'done',
        target: id,
        reason: failed ? 'noted the failed containment; status left NEW' : 'noted what Keystop did; workflow status NOTIFIED',
      };
    },
  };
}

/**
 * Where the finding cannot be updated (the local emulator lacks BatchUpdateFindings): a Security Hub incident's step
 * says why, plainly, instead of failing with whatever the emulator answers.
 */
export function unavailableFindingUpdater(reason: string): FindingUpdater {
  return {
    async update({ incident }) {
      if (incident.source !== 'security-hub') return undefined;
      return { type: 'update-finding', status: 'skipped', target: incident.origin.findingArn ?? incident.origin.findingId, reason };
    },
  };
}

function noteOf(response: IncidentResponse): string {
  const done = response.actions.filter((a) => a.status === 'done').map((a) => a.reason);
  const text =
    `Keystop ${response.outcome} (${response.reason}${response.policy ? `, policy ${response.policy}` : ''})` +
    `${done.length > 0 ? `: ${done.join('; ')}` : ''}. ${response.explanation}`;
  return sanitize(text, NOTE_LIMIT);
}
