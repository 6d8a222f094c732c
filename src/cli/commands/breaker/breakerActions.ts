import { systemClock } from '../../../aws/clock';
import { containHeld } from '../../../respond/containHeld';
import { ORGANISATION } from '../../../stores/StateStore';
import { cliDeps, topicArnOf } from '../../operator/cliDeps';
import { compareWithDeployment } from '../../operator/compareDeployed';
import { operatorStore } from '../../operator/operatorStore';
import { reportResponses } from '../../operator/reportResponses';
import { decisionSettings } from '../../settings/decisionSettings';
import type { BreakerOptions, BreakerResetOptions } from './breakerCommand';

export async function breakerStatusAction(options: BreakerOptions): Promise<void> {
  const { store, accountId, limit, windowMinutes, orgLimit, onTable, settingsSource } = await operatorStore(options, true);
  const status = await onTable(() => store.breakerStatus(accountId, systemClock.now()));
  const org = await onTable(() => store.breakerStatus(ORGANISATION, systemClock.now()));
  const state = (s: { open: boolean; openedAt?: string }) => (s.open ? `OPEN since ${s.openedAt ?? 'unknown'}` : 'closed');
  process.stdout.write(
    options.json
      ? `${JSON.stringify({
          account: accountId,
          open: status.open,
          openedAt: status.openedAt ?? null,
          count: status.count,
          limit: status.limit,
          breakerLimit: limit,
          shareOf: status.shareOf ?? null,
          windowMinutes,
          organisation: { open: org.open, openedAt: org.openedAt ?? null, count: org.count, limit: orgLimit, accounts: org.accounts ?? 0 },
        })}\n`
      : `breaker of account ${accountId}: ${state(status)}; ` +
          `${status.count} of ${status.limit} automatic containments in the last ${windowMinutes} minutes` +
          `${status.shareOf === undefined ? '' : ` (breakerLimit ${limit}, capped at this account's share of the organisation's ${status.shareOf})`}` +
          ` (settings: ${settingsSource})\n` +
          `breaker of the organisation (with member accounts): ${state(org)}; ` +
          `${org.count} of ${orgLimit} automatic containments across ${org.accounts ?? 0} accounts in the last ${windowMinutes} minutes\n`,
  );
}

export async function breakerResetAction(options: BreakerResetOptions): Promise<void> {
  const { store, accountId: own, onTable } = await operatorStore(options, true);
  const accountId = options.org ? ORGANISATION : own;
  // The deployment's settings for --contain-held, checked (and against the deployed stage's) before the reset changes anything.
  const stageSettings = await decisionSettings({ ...(options.containHeld ? { policies: options.policies } : {}), stage: options.stage });
  await compareWithDeployment(options, stageSettings);
  const settings = options.containHeld ? stageSettings : undefined;
  if (options.containHeld) topicArnOf(options);
  await onTable(() => store.resetBreaker(accountId));
  const which = options.org ? 'breaker of the organisation' : `breaker of account ${accountId}`;
  if (!options.json) process.stdout.write(`${which}: reset; automatic containment resumes\n`);
  if (!settings) {
    if (options.json) process.stdout.write(`${JSON.stringify({ account: accountId, reset: true })}\n`);
    return;
  }
  const { deps, printedAlerts } = await cliDeps(options, settings);
  await reportResponses(
    async () => {
      const responses = await containHeld(accountId, { ...deps, state: store });
      if (responses.length === 0 && !options.json) {
        process.stdout.write(
          options.org ? 'no held credentials in accounts whose own breaker is closed\n' : 'no held credentials in this account\n',
        );
      }
      return responses;
    },
    { json: options.json, printedAlerts },
  );
}
