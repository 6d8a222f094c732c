import { CommanderError } from 'commander';
import { buildProgram } from './buildProgram';
import { describeError, exitCodeOf } from './describeError';

// Exit codes, the same for every command: 0 done; 1 a response or an event failed; 2 the command or its input is wrong
// (nothing was attempted).
try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has printed its message (or the help, or the version) already.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`keystop: ${describeError(error)}\n`);
    process.exitCode = exitCodeOf(error);
  }
}
