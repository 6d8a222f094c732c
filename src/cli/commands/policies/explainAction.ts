import type { Guardrails } from '../../../decide/Guardrails';
import { formatExplanation } from '../../format/formatExplanation';
import { readEvents } from '../../input/readEvents';
import { announceSettings } from '../../settings/announceSettings';
import { decisionSettings } from '../../settings/decisionSettings';
import { UsageError } from '../../UsageError';
import { explainEvent } from './explainEvent';
import type { ExplainOptions } from './policiesCommand';

export async function explainAction(file: string, options: ExplainOptions): Promise<void> {
  const settings = await decisionSettings(options);
  const own = options.accountId ?? (process.env.KEYSTOP_ACCOUNT_ID || undefined);
  if (own !== undefined && !/^\d{12}$/.test(own)) throw new UsageError(`--account-id ${JSON.stringify(own)} is not a 12-digit account id`);
  const guardrails: Guardrails = {
    ...settings.guardrails,
    ...(own !== undefined ? { accounts: { own, members: settings.memberAccounts ?? [] } } : {}),
  };
  // A file may hold several events (get-findings output): each is explained, under its name when there are several.
  const events = await readEvents([file]);
  announceSettings(settings, options);
  for (const { name, event } of events) {
    const explanation = explainEvent(event, settings.policies, settings.sourceSettings, guardrails);
    const lines = formatExplanation(explanation);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(events.length > 1 ? { event: name, ...explanation } : explanation)}\n`
        : `${(events.length > 1 ? [`${name}:`, ...lines.map((line) => `  ${line}`)] : lines).join('\n')}\n`,
    );
    if (explanation.kind === 'malformed') process.exitCode = 1;
  }
}
