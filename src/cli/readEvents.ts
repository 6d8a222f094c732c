import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from './UsageError';

export interface NamedEvent {
  name: string;
  event: unknown;
}

/** Event files as the CLI takes them: JSON, one EventBridge event each. */
export async function readEvents(files: string[]): Promise<NamedEvent[]> {
  return Promise.all(
    files.map(async (file) => {
      try {
        return { name: basename(file), event: JSON.parse(await readFile(file, 'utf8')) as unknown };
      } catch (error) {
        throw new UsageError(`cannot read event file ${file}: ${(error as Error).message}`);
      }
    }),
  );
}

/** Why an event matched none of Keystop's sources, for people. */
export function unrecognizedEvent(event: unknown): string {
  const raw = (typeof event === 'object' && event !== null ? event : {}) as { source?: unknown; 'detail-type'?: unknown };
  return `no Keystop handler subscribes to source ${String(raw.source)} / ${String(raw['detail-type'])}`;
}
