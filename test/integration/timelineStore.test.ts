import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/domain/TimelineEntry';
import { createStateTable } from '../../src/local/createStateTable';
import { dynamoTimeline, MAX_TIMELINE_ENTRIES } from '../../src/stores/dynamoTimeline';
import { localResponder, uniqueName } from '../support/localAws';
import { clockStart, isoAt } from '../support/testClock';

const start = clockStart();
const KEY = 'credential#123456789012#AKIATIMELINEKEY0001';
const entry = (n: number): TimelineEntry => ({ at: isoAt(start, n * 1000), kind: 'guard', text: `change ${n}` });

async function setUp() {
  const { clients } = await localResponder();
  const tableName = uniqueName('keystop-timeline');
  await createStateTable(clients.dynamodb, tableName);
  return { dynamodb: clients.dynamodb, tableName, timeline: dynamoTimeline(clients.dynamodb, { tableName }) };
}

describe("A credential's story in the state table", () => {
  it('keeps entries in the order they were appended', async () => {
    const { timeline } = await setUp();
    await timeline.append(KEY, [entry(1), entry(2)], new Date(start + 86_400_000));
    await timeline.append(KEY, [entry(3)], new Date(start + 86_400_000));

    expect((await timeline.read(KEY)).map((e) => e.text)).toEqual(['change 1', 'change 2', 'change 3']);
  });

  it('a flood of changes cannot grow it without bound: the beginning is kept, and one line says the rest was not', async () => {
    const { timeline } = await setUp();
    for (let n = 0; n < MAX_TIMELINE_ENTRIES + 20; n += 10) {
      await timeline.append(
        KEY,
        Array.from({ length: 10 }, (_, i) => entry(n + i)),
        new Date(start + 86_400_000),
      );
    }

    const story = await timeline.read(KEY);
    expect(story).toHaveLength(MAX_TIMELINE_ENTRIES + 1);
    expect(story[0]!.text).toBe('change 0');
    expect(story.filter((e) => e.text.startsWith('later entries were not kept'))).toHaveLength(1);
    expect(story.at(-1)!.text).toBe('later entries were not kept (the story is full)');
  });

  it('reads back only well-formed entries', async () => {
    const { timeline, dynamodb, tableName } = await setUp();
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: `timeline#${KEY}` }, entries: { L: [{ S: '{"kind":"nonsense"}' }, { S: 'x' }, { S: JSON.stringify(entry(7)) }] } },
      }),
    );

    expect(await timeline.read(KEY)).toEqual([entry(7)]);
  });
});
