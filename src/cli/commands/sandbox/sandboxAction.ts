import { LOCAL_ACCOUNT_ID } from '../../../local/localClients';
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
  const deployment =
    options.deployment ?? (settings.stage === undefined || settings.memberAccounts?.length ? 'organization' : 'single-account');
  // An organisation: every account is a member unless the allow-list is given. One account: the emulator's own only.
  const accounts =
    deployment === 'single-account'
      ? { own: LOCAL_ACCOUNT_ID, members: [] }
      : settings.memberAccounts
        ? { own: LOCAL_ACCOUNT_ID, members: settings.memberAccounts }
        : undefined;
  if (!options.json) process.stdout.write(`${deploymentLine(deployment, settings.memberAccounts)}\n\n`);
  const reports = await runSandbox(events, {
    endpoint: options.endpointUrl,
    verbose: options.verbose,
    ...(options.stateTable ? { stateTable: options.stateTable } : {}),
    metrics: options.metrics ?? false,
    sourceSettings: settings.sourceSettings,
    policies: settings.policies,
    breaker: settings.breaker,
    guardrails: { ...settings.guardrails, ...(accounts ? { accounts } : {}) },
  });
  for (const report of reports) {
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatSandboxReport(report)}\n\n`);
  }
  if (reports.some((r) => r.outcome === 'failed' || r.more?.some((m) => m.outcome === 'failed'))) process.exitCode = 1;
}

/** Which deployment the sandbox plays: what decides whether a finding of another account is acted on. */
function deploymentLine(deployment: 'organization' | 'single-account', members: string[] | undefined): string {
  return deployment === 'single-account'
    ? `Sandbox: plays a single-account deployment (Keystop's default): it acts only in its own account ${LOCAL_ACCOUNT_ID}; findings of other accounts are alerted on (--deployment organization plays an organisation)`
    : `Sandbox: plays an organisation deployment: ${members ? `its member accounts ${members.join(', ') || '(none)'} and its own ${LOCAL_ACCOUNT_ID}` : 'every account is a member'} (--deployment single-account plays Keystop's default, one account)`;
}
