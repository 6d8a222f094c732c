import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { breakerCommand } from './commands/breaker/breakerCommand';
import { configCommand } from './commands/config/configCommand';
import { containCommand } from './commands/contain/containCommand';
import { demoCommand } from './commands/demo/demoCommand';
import { doctorCommand } from './commands/doctor/doctorCommand';
import { incidentsCommand } from './commands/incidents/incidentsCommand';
import { policiesCommand } from './commands/policies/policiesCommand';
import { releaseCommand } from './commands/release/releaseCommand';
import { replayCommand } from './commands/replay/replayCommand';
import { sandboxCommand } from './commands/sandbox/sandboxCommand';
import { scpCommand } from './commands/scp/scpCommand';
import { selftestCommand } from './commands/selftest/selftestCommand';
import { packageRoot } from './packageRoot';

/**
 * The `keystop` command. Only option definitions load here; each action imports what it needs when it runs, so that
 * `keystop --help` answers without loading the AWS SDK.
 */
export function buildProgram(): Command {
  const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  const program = new Command('keystop')
    .description('Contain leaked AWS credentials: deactivate exactly the compromised key and alert responders.')
    .version(version, '-V, --version')
    .showHelpAfterError();
  for (const command of [
    sandboxCommand(),
    demoCommand(),
    containCommand(),
    releaseCommand(),
    replayCommand(),
    policiesCommand(),
    incidentsCommand(),
    breakerCommand(),
    selftestCommand(),
    doctorCommand(),
    configCommand(),
    scpCommand(),
  ]) {
    program.addCommand(command);
  }
  // Usage errors exit 2 (see main.ts) rather than commander's 1, which means "the response failed" here.
  const exitOverride = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}
