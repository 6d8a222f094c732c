import {
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
  type LookupEventsCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { loadFixture } from './loadFixture';

/** The recorded LookupEvents answer for one key: three pages, chained by NextToken. */
function recordedPages(): LookupEventsCommandOutput[] {
  const { pages } = loadFixture<{ pages: any[] }>('cloudtrail/lookup-events-by-access-key.json');
  return pages.map((page) => ({
    ...page,
    Events: page.Events.map((e: any) => ({ ...e, EventTime: new Date(e.EventTime) })),
    $metadata: {},
  }));
}

/**
 * A CloudTrail client (aws-sdk-client-mock: the emulator has no LookupEvents) that serves the recorded pages by
 * NextToken and notes each call in `calls` (shared with the emulator's call recorder). `holdPage` decides when a
 * page is answered (a promise that never settles: never), so tests order events without real delays.
 */
export function recordedCloudTrail({
  holdPage = (_index: number): Promise<unknown> => Promise.resolve(),
  calls = [] as string[],
  pages = recordedPages(),
} = {}) {
  const client = new CloudTrailClient({ region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const inputs: LookupEventsCommandInput[] = [];
  mockClient(client)
    .on(LookupEventsCommand)
    .callsFake(async (input: LookupEventsCommandInput) => {
      calls.push('CloudTrail:LookupEvents');
      inputs.push(structuredClone(input));
      const index = input.NextToken === undefined ? 0 : Number(input.NextToken.replace('token-page-', '')) - 1;
      await holdPage(index);
      return pages[index];
    });
  return { client, inputs, calls };
}
