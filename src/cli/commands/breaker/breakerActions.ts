import { systemClock } from '../../../aws/clock';
import { containHeld } from '../../../respond/containHeld';
import { cliDeps, topicArnOf } from '../../operator/cliDeps';
import { compareWithDeployment } from '../../operator/compareDeployed';
import { operatorStore } from '../../operator/operatorStore';
import { reportResponses } from '../../operator/reportResponses';
import { decisionSettings } from '../../settings/decisionSettings';
import type { BreakerOptions, BreakerResetOptions } from './breakerCommand';

export async function breakerStatusAction(options: BreakerOptions): Promise<void> {
  const { store, accountId, limit, windowMinutes, onTable, settingsSource } = await operatorStore(options);
  const status = await onTable(() => store.breakerStatus(accountId, systemClock.now()));
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ account: accountId, open: status.open, openedAt: status.openedAt ?? null, count: status.count, limit, windowMinutes })}\n`
      : `breaker of account ${accountId}: ${status.open ? `OPEN since ${status.openedAt ?? 'unknown'}` : 'closed'}; ` +
          `${status.count} of ${limit} automatic containments in the last ${windowMinutes} minutes (settings: ${settingsSource})\n`,
  );
}

export async function breakerResetAction(options: BreakerResetOptions): Promise<void> {
  const { store, accountId, onTable } = await operatorStore(options);
  // The deployment's settings for --contain-held, checked (and against the deployed stage's) before the reset changes anything.
  const stageSettings = await decisionSettings({ ...(options.containHeld ? { policies: options.policies } : {}), stage: options.stage });
  await compareWithDeployment(options, stageSettings);
  const settings = options.containHeld ? stageSettings : undefined;
  if (options.containHeld) topicArnOf(options);
  await onTable(() => store.resetBreaker(accountId));
  if (!options.json) process.stdout.write(`breaker of account ${accountId}: reset; automatic containment resumes\n`);
  if (!settings) {
    if (options.json) process.stdout.write(`${JSON.stringify({ account: accountId, reset: true })}\n`);
    return;
  }
  const { deps, printedAlerts } = await cliDeps(options, settings);
  await reportResponses(
    async () => {
      const responses = await containHeld(accountId, { ...deps, state: store });
      if (responses.length === 0 && !options.json) process.stdout.write('no held credentials in this account\n');
      return responses;
    },
    { json: options.json, printedAlerts },
  );
}
