import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { messageOf } from '../../domain/errors';
import type { ActivityReport } from './ActivityReport';
import { type RegionEvents, summariseActivity } from './summariseActivity';

export interface ActivityLookupSettings {
  /** How far back to look, from now. */
  windowHours: number;
  /** Regions to search; CloudTrail event history is regional (IAM and STS calls are recorded in us-east-1). */
  regions: readonly string[];
  /** Pages (of 50 events) read per region at most: LookupEvents allows 2 requests per second per region. */
  maxPagesPerRegion: number;
  /** The whole lookup stops here, in-flight requests included, and reports what it has as partial. */
  timeLimitMs: number;
}

/**
 * What one access key did, from CloudTrail LookupEvents by AccessKeyId: every configured region in parallel, page
 * by page up to the cap, within the time limit. Never throws: a region that fails is reported in the summary, and
 * when every region fails the report says `failed` (or `unavailable` when CloudTrail refuses or lacks the API).
 */
export async function lookupKeyActivity(
  cloudTrailIn: (region: string) => CloudTrailClient | Promise<CloudTrailClient>,
  accessKeyId: string,
  settings: ActivityLookupSettings,
  now: Date,
): Promise<ActivityReport> {
  const from = new Date(now.getTime() - settings.windowHours * 3_600_000);
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, settings.timeLimitMs);
  // Resolves at the time limit: a page still awaited then is abandoned even if the client ignores the abort.
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => abort.signal.addEventListener('abort', () => resolve(TIMED_OUT)));
  let pagesRead = 0;
  let capped = false;
  try {
    const results = await Promise.all(
      settings.regions.map(async (region): Promise<RegionEvents & { error?: unknown }> => {
        const events: RegionEvents['events'] = [];
        try {
          // Imported after containment, never bundled (serverless.yml esbuild.exclude): cold start stays small.
          const { paginateLookupEvents } = await import('@aws-sdk/client-cloudtrail');
          const pages = paginateLookupEvents(
            { client: await cloudTrailIn(region), pageSize: 50 },
            { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: accessKeyId }], StartTime: from, EndTime: now },
            { abortSignal: abort.signal },
          );
          let read = 0;
          for (;;) {
            const pending = pages.next();
            // An abandoned page may still reject (aborted) after the deadline: that is expected, not unhandled.
            pending.catch(() => undefined);
            const next = await Promise.race([pending, deadline]);
            if (next === TIMED_OUT || next.done) break;
            const page = next.value;
            read += 1;
            pagesRead += 1;
            events.push(...(page.Events ?? []));
            if (timedOut) break;
            if (read >= settings.maxPagesPerRegion) {
              if (page.NextToken) capped = true;
              break;
            }
          }
          return { region, events };
        } catch (error) {
          // An abort at the time limit keeps what was read; anything else is this region's error.
          return timedOut ? { region, events } : { region, events, error };
        }
      }),
    );
    const failed = results.filter((r) => r.error !== undefined);
    if (failed.length === results.length && results.length > 0) {
      const errors = failed.map((r) => `${r.region}: ${messageOf(r.error)}`).join('; ');
      const unavailable = failed.every((r) => isUnavailable(r.error));
      return {
        status: unavailable ? 'unavailable' : 'failed',
        reason: `CloudTrail LookupEvents ${unavailable ? 'is not available' : 'failed'} (${errors})`,
      };
    }
    return summariseActivity(results, {
      accessKeyId,
      window: { from: from.toISOString(), to: now.toISOString() },
      regions: [...settings.regions],
      regionErrors: failed.map((r) => ({ region: r.region, error: messageOf(r.error) })),
      pagesRead,
      ...(timedOut ? { stoppedBy: 'time-limit' as const } : capped ? { stoppedBy: 'page-cap' as const } : {}),
    });
  } finally {
    clearTimeout(timer);
  }
}

const TIMED_OUT = Symbol('timed out');

/** Not permitted, or not implemented (the local emulator answers LookupEvents with a 500 NotImplemented). */
function isUnavailable(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return /AccessDenied|UnauthorizedOperation|NotImplemented|OptInRequired/i.test(name) || /not ?implemented/i.test(messageOf(error));
}
