import { formatSandboxReport } from '../../format/formatSandboxReport';
import { readEvents } from '../../input/readEvents';
import { runSandbox } from '../../sandbox/runSandbox';
import { announceSettings } from '../../settings/announceSettings';
import { decisionSettings } from '../../settings/decisionSettings';
import { UsageError } from '../../UsageError';
import type { SandboxOptions } from './sandboxCommand';

/** `keystop sandbox`: exit 1 when any event's response failed, as the function's invocation would. */
export async function sandboxAction(files: string[], options: SandboxOptions): Promise<void> {
  if (options.stateTable !== undefined && !/^[\w.-]{3,255}$/.test(options.stateTable)) {
    throw new UsageError(`--state-table ${JSON.stringify(options.stateTable)} is not a DynamoDB table name`);
  }
  const settings = await decisionSettings(options);
  const events = await readEvents(files);
  announceSettings(settings, options);
  const reports = await runSandbox(events, {
    endpoint: options.endpointUrl,
    verbose: options.verbose,
    ...(options.stateTable ? { stateTable: options.stateTable } : {}),
    metrics: options.metrics ?? false,
    sourceSettings: settings.sourceSettings,
    policies: settings.policies,
    breaker: settings.breaker,
    guardrails: {
      ...settings.guardrails,
      // The sandbox plays an organisation: every account is a member unless the allow-list is given.
      ...(settings.memberAccounts
        ? { accounts: { own: (await import('../../../local/localClients')).LOCAL_ACCOUNT_ID, members: settings.memberAccounts } }
        : {}),
    },
  });
  for (const report of reports) {
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatSandboxReport(report)}\n\n`);
  }
  if (reports.some((r) => r.outcome === 'failed' || r.more?.some((m) => m.outcome === 'failed'))) process.exitCode = 1;
}
