import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../UsageError';
import { NOT_AN_EVENT, unwrapEvents } from './unwrapEvents';

export interface NamedEvent {
  name: string;
  event: unknown;
  /** How the event was taken out of what the file held, when it was not an EventBridge event itself. */
  unwrapped?: string;
}

/**
 * Event files as the CLI takes them: JSON holding EventBridge events, or findings and records as responders hold them
 * (see unwrapEvents). A file with several (get-findings output, a CloudTrail log file) gives several events, named
 * `file#2`, … (`-` is standard input, named stdin; gzip is unpacked). Each unwrapping is told on `note` (stderr by default), so that nobody mistakes what was run. A file
 * holding no event is a UsageError (exit 2), said in one line.
 */
export async function readEvents(
  files: string[],
  note: (line: string) => void = (line) => process.stderr.write(`keystop: ${line}\n`),
): Promise<NamedEvent[]> {
  const perFile = await Promise.all(
    files.map(async (file) => {
      const text = await readInput(file);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        // JSON with a syntax error is said as such; anything else (a CSV export, a log line) is not an event at all.
        if (/^\s*[[{]/.test(text)) throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
        throw new UsageError(`${file}: ${NOT_AN_EVENT}`);
      }
      const unwrapping = unwrapEvents(parsed);
      if (unwrapping.kind === 'refused') throw new UsageError(`${file}: ${unwrapping.reason}`);
      const { events } = unwrapping;
      return events.map(({ event, unwrapped }, index): NamedEvent => {
        const base = file === '-' ? 'stdin' : basename(file);
        const name = events.length > 1 ? `${base}#${index + 1}` : base;
        return unwrapped ? { name, event, unwrapped } : { name, event };
      });
    }),
  );
  const named = perFile.flat();
  for (const { name, unwrapped } of named) if (unwrapped) note(`${name}: ${unwrapped}`);
  return named;
}

/**
 * A file's text, `-` being standard input; gzip (CloudTrail's *_CloudTrail_*.json.gz as downloaded from S3) is
 * recognised by its magic bytes, whatever the name.
 */
async function readInput(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? await buffer(process.stdin) : await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read event file ${file}: ${(error as Error).message}`);
  }
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw new UsageError(`${file} is not valid gzip: ${(error as Error).message}`);
  }
}

/** Why an event matched none of Keystop's sources, for people. */
export function unrecognizedEvent(event: unknown): string {
  const raw = (typeof event === 'object' && event !== null ? event : {}) as { source?: unknown; 'detail-type'?: unknown };
  return `no Keystop handler subscribes to source ${String(raw.source)} / ${String(raw['detail-type'])}`;
}
