import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { type Creation, creationIdentity, withRenames } from '../domain/Creation';
import { messageOf } from '../domain/errors';
import { creationsOf, sessionKeysOf } from '../sources/creationsOf';
import type { CreationLog } from '../stores/dynamoCreationLog';

/** What a credential made, and which source answered what (for the alert and docs/state-machine.md). */
interface FoundCreations {
  creations: Creation[];
  /** One line per source: how many it found, or why it could not answer. */
  sources: string[];
  /** Every source that was asked answered (a source switched off is not asked). */
  complete: boolean;
}

export interface CreationFinder {
  createdBy(accountId: string, accessKeyId: string, now: Date): Promise<FoundCreations>;
}

export interface CreationFinderSettings {
  /** Who made what, noted as IAM's events arrived (seconds after each call); undefined without a state table. */
  log: CreationLog | undefined;
  /** The event history of Keystop's own account (IAM's calls are recorded in us-east-1); undefined: not read. */
  cloudTrail: (() => CloudTrailClient | Promise<CloudTrailClient>) | undefined;
  /** Only this account's history is readable with Keystop's own clients. */
  ownAccountId: string;
  /** How far back the history is read (the activity lookup's window). */
  windowHours: number;
  /** Pages of 50 read at most: LookupEvents allows 2 requests per second per account and region. */
  maxPages: number;
  /** The history lookup stops here and what it found counts. */
  timeLimitMs: number;
}

/**
 * Both sources, merged: the creation log answers at once for what the event stream delivered (within seconds of each
 * call); CloudTrail's event history by access key answers for calls the stream did not deliver (before the guard's rule
 * existed, a lost event), but only ~5 minutes after each call and rate-limited. Never throws: a source that fails is
 * named in `sources` and the other still counts.
 */
export function creationFinder(settings: CreationFinderSettings): CreationFinder {
  return {
    async createdBy(accountId, accessKeyId, now) {
      const [logged, history] = await Promise.all([
        settings.log
          ? settings.log.recall(accountId, accessKeyId, now).then(
              ({ creations: found, overflowed }) =>
                overflowed
                  ? { found, line: `creation log: ${found.length}, INCOMPLETE (full: the key made more than it keeps)`, ok: false }
                  : { found, line: `creation log: ${found.length}`, ok: true },
              (error: unknown) => ({ found: [] as Creation[], line: `creation log unreadable (${messageOf(error)})`, ok: false }),
            )
          : { found: [] as Creation[], line: 'creation log: none (no state table)', ok: true },
        historyOf(settings, accountId, accessKeyId, now),
      ]);
      const merged = new Map<string, Creation>();
      for (const creation of [...logged.found, ...history.found]) {
        if (!merged.has(creationIdentity(creation))) merged.set(creationIdentity(creation), creation);
      }
      // A user the key renamed is followed under its new name (both sources' records of the rename count).
      const creations = withRenames([...merged.values()]);
      return { creations, sources: [logged.line, history.line], complete: logged.ok && history.ok };
    },
  };
}

/** Session keys of one long-term key whose calls are read too (each costs at least one LookupEvents page). */
const MAX_SESSIONS = 5;

async function historyOf(
  settings: CreationFinderSettings,
  accountId: string,
  accessKeyId: string,
  now: Date,
): Promise<{ found: Creation[]; line: string; ok: boolean }> {
  if (settings.cloudTrail === undefined) return { found: [], line: 'event history: not read (switched off)', ok: true };
  if (accountId !== settings.ownAccountId) {
    return { found: [], line: `event history: not read (account ${accountId}'s history is not Keystop's to read)`, ok: true };
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), settings.timeLimitMs);
  const read: { keyId: string; records: unknown[] }[] = [];
  let pages = 0;
  // What the key made itself, and what the session keys it issued (GetSessionToken) made: the key's doing too.
  const foundIn = () => read.flatMap(({ keyId, records }) => creationsOf(records, keyId));
  const sessions = () => (read.length > 1 ? `, ${read.length - 1} session key(s) it issued read too` : '');
  try {
    const { paginateLookupEvents } = await import('@aws-sdk/client-cloudtrail');
    const client = await settings.cloudTrail();
    const from = new Date(now.getTime() - settings.windowHours * 3_600_000);
    const lookUp = async (keyId: string) => {
      const records: unknown[] = [];
      read.push({ keyId, records });
      if (pages >= settings.maxPages) return records;
      for await (const page of paginateLookupEvents(
        { client, pageSize: 50 },
        { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: keyId }], StartTime: from, EndTime: now },
        { abortSignal: abort.signal },
      )) {
        pages += 1;
        for (const event of page.Events ?? []) records.push(jsonOf(event.CloudTrailEvent));
        if (pages >= settings.maxPages) break;
      }
      return records;
    };
    const own = await lookUp(accessKeyId);
    const issued = sessionKeysOf(own, accessKeyId);
    for (const sessionKey of issued.slice(0, MAX_SESSIONS)) await lookUp(sessionKey);
    const found = foundIn();
    const unread = issued.length > MAX_SESSIONS ? `, INCOMPLETE: ${issued.length - MAX_SESSIONS} more session key(s) not read` : '';
    return {
      found,
      line: `event history: ${found.length} (${pages} page(s)${sessions()}${unread}; calls of the last ~5 minutes may not show yet)`,
      ok: unread === '',
    };
  } catch (error) {
    const found = foundIn();
    const why = abort.signal.aborted ? 'stopped at the time limit' : `failed (${messageOf(error)})`;
    return { found, line: `event history: ${why}, ${found.length} found${sessions()}`, ok: false };
  } finally {
    clearTimeout(timer);
  }
}

function jsonOf(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
