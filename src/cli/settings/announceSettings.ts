/**
 * Without --stage a deciding command answers with its flags, the environment and the defaults: it says so (on stderr,
 * not in --json output), so nobody takes its answer for the deployment's.
 */
export function announceSettings(settings: { stage?: string; source: string }, { json }: { json?: boolean }): void {
  if (settings.stage === undefined && !json) process.stderr.write(`keystop: settings: ${settings.source}\n`);
}
