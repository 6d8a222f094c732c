import { Option } from 'commander';

/**
 * `--json`, with the CLI's one convention stated in its help: a command that streams results (one per event, per
 * credential, per check) prints JSON Lines, one object per line as each is ready; every other command prints one
 * JSON document. test/integration/jsonConvention.test.ts parses each command's output under the convention it states.
 */
export function jsonOption(convention: 'lines' | 'document', what: string): Option {
  return new Option(
    '--json',
    convention === 'lines' ? `print ${what} as JSON Lines: one JSON object per line` : `print ${what} as one JSON document`,
  );
}
