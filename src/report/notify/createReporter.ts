import type { Logger } from '@aws-lambda-powertools/logger';
import type { ActionResult } from '../../actions/ContainmentAction';
import { messageOf } from '../../domain/errors';
import type { AnsweredIncident } from '../../domain/IncidentResponse';
import type { ActivityReport } from '../activity/ActivityReport';
import type { Enricher } from '../activity/Enricher';
import { auditDetailOf } from '../audit/auditDetailOf';
import type { Auditor } from '../audit/eventBridgeAuditor';
import type { FindingUpdater } from '../audit/securityHubFindingUpdater';
import type { Notifier } from './Alert';
import { formatActivityAlert, formatAlert } from './formatAlert';

/**
 * Everything that follows containment: the alert, what the key did, the finding note and the audit event.
 * respond() calls it once per incident, after the containment steps, so nothing here can delay containment.
 */
export interface Reporter {
  /**
   * Never throws: each step's result is returned (`notify` first). Only a failed `notify` fails the response —
   * the rest (activity, audit, finding note) is reported as failed without retrying containment and the alert.
   */
  report(response: AnsweredIncident): Promise<ActionResult[]>;
}

export interface ReporterParts {
  notifier: Notifier;
  enricher: Enricher;
  auditor: Auditor;
  findingUpdater: FindingUpdater;
  /** How long the first alert waits for the activity lookup before going out without it (it then follows). */
  inlineWaitMs: number;
  logger: Logger;
  now: () => Date;
}

export function createReporter(parts: ReporterParts): Reporter {
  const { notifier, enricher, auditor, findingUpdater, logger } = parts;
  return {
    async report(response) {
      const incidentId = response.incident.id;
      // Started only now, after containment; the first alert waits for it at most inlineWaitMs.
      const lookup = enricher
        .activityOf(response.incident)
        .catch((error: unknown): ActivityReport => ({ status: 'failed', reason: messageOf(error) }));
      const early = await within(lookup, parts.inlineWaitMs);
      const results: ActionResult[] = [];

      results.push(
        await step('notify', notifier.destination, 'alert published', () => notifier.publish(formatAlert(response, early ?? pending))),
      );
      const finding = await attempt(
        () => findingUpdater.update(response),
        'update-finding',
        response.incident.origin.findingArn ?? response.incident.origin.findingId,
      );
      if (finding) results.push(finding);

      const activity = early ?? (await lookup);
      if (!early) {
        results.push(
          await step('notify-activity', notifier.destination, `follow-up alert published (activity ${activity.status})`, () =>
            notifier.publish(formatActivityAlert(response, activity)),
          ),
        );
      }
      const audited = await step('audit', auditor.destination, 'audit event published', async () => {
        const actions = [...response.actions, ...results];
        await auditor.record(auditDetailOf(response, actions, activity, parts.now()));
      });
      results.push(audited);
      return results;

      async function step(type: ActionResult['type'], target: string, done: string, run: () => Promise<void>): Promise<ActionResult> {
        return (await attempt(
          async () => {
            await run();
            return { type, status: 'done', target, reason: done };
          },
          type,
          target,
        ))!;
      }

      async function attempt(
        run: () => Promise<ActionResult | undefined>,
        type: ActionResult['type'],
        target: string,
      ): Promise<ActionResult | undefined> {
        try {
          return await run();
        } catch (error) {
          logger.error(`reporting step ${type} failed`, { incidentId, error });
          return { type, status: 'failed', target, reason: messageOf(error) };
        }
      }
    },
  };
}

const pending: ActivityReport = {
  status: 'pending',
  reason: 'the CloudTrail lookup is still running; its result follows in a second message',
};

/** The promise's value if it settles within `ms`, else undefined (the promise keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
