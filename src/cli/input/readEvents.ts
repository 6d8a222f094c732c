import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
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
 * `file#2`, … Each unwrapping is told on `note` (stderr by default), so that nobody mistakes what was run. A file
 * holding no event is a UsageError (exit 2), said in one line.
 */
export async function readEvents(
  files: string[],
  note: (line: string) => void = (line) => process.stderr.write(`keystop: ${line}\n`),
): Promise<NamedEvent[]> {
  const perFile = await Promise.all(
    files.map(async (file) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read event file ${file}: ${(error as Error).message}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new UsageError(`${file}: ${NOT_AN_EVENT}`);
      }
      const unwrapping = unwrapEvents(parsed);
      if (unwrapping.kind === 'refused') throw new UsageError(`${file}: ${unwrapping.reason}`);
      const { events } = unwrapping;
      return events.map(({ event, unwrapped }, index): NamedEvent => {
        const name = events.length > 1 ? `${basename(file)}#${index + 1}` : basename(file);
        return unwrapped ? { name, event, unwrapped } : { name, event };
      });
    }),
  );
  const named = perFile.flat();
  for (const { name, unwrapped } of named) if (unwrapped) note(`${name}: ${unwrapped}`);
  return named;
}

/** Why an event matched none of Keystop's sources, for people. */
export function unrecognizedEvent(event: unknown): string {
  const raw = (typeof event === 'object' && event !== null ? event : {}) as { source?: unknown; 'detail-type'?: unknown };
  return `no Keystop handler subscribes to source ${String(raw.source)} / ${String(raw['detail-type'])}`;
}
