import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Creation } from '../../src/domain/Creation';
import { createStateTable } from '../../src/local/createStateTable';
import { dynamoCreationLog } from '../../src/stores/dynamoCreationLog';
import { localResponder, uniqueName } from '../support/localAws';
import { clockStart, isoAt } from '../support/testClock';

const ACCOUNT = '123456789012';
const LEAKED = 'AKIABUILDBOTLEAKED01';
const start = clockStart();
const newKey = (n: number): Creation => ({
  kind: 'access-key',
  userName: 'ops-admin',
  accessKeyId: `AKIAOPSADMINNEWKEY${String(n).padStart(2, '0')}`,
  at: isoAt(start, n * 1000),
});

async function setUp() {
  const { clients } = await localResponder();
  const tableName = uniqueName('keystop-created');
  await createStateTable(clients.dynamodb, tableName);
  return { dynamodb: clients.dynamodb, tableName, log: dynamoCreationLog(clients.dynamodb, { tableName, keepMs: 3600_000 }) };
}

describe('Who made what, remembered briefly (the state table, one item per creating key)', () => {
  it('recalls what one creator made, oldest first, once each, and nothing of another creator or account', async () => {
    const { log } = await setUp();
    const now = new Date(start);
    await log.remember(ACCOUNT, LEAKED, [newKey(2), { kind: 'user', userName: 'backdoor', at: isoAt(start, 1000) }], now);
    await log.remember(ACCOUNT, LEAKED, [newKey(2)], now);
    await log.remember(ACCOUNT, 'AKIASOMEONEELSE00001', [newKey(3)], now);
    await log.remember('210987654321', LEAKED, [newKey(4)], now);

    expect(await log.recall(ACCOUNT, LEAKED, now)).toEqual([{ kind: 'user', userName: 'backdoor', at: isoAt(start, 1000) }, newKey(2)]);
  });

  it('forgets after the keep window, and keeps at most 100 entries per creator', async () => {
    const { log } = await setUp();
    const now = new Date(start);
    for (let n = 0; n < 105; n++) await log.remember(ACCOUNT, LEAKED, [newKey(n)], now);

    expect(await log.recall(ACCOUNT, LEAKED, now)).toHaveLength(100);
    expect(await log.recall(ACCOUNT, LEAKED, new Date(start + 3600_000 + 1))).toEqual([]);
  });

  it('reads back only well-formed entries: an entry written by someone else that IAM could not have made is dropped', async () => {
    const { log, dynamodb, tableName } = await setUp();
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `created-by#${ACCOUNT}#${LEAKED}` },
          expiresAt: { N: String(start + 3600_000) },
          entries: {
            L: [
              { S: JSON.stringify({ kind: 'user', userName: 'keystop/../admin', at: isoAt(start, 0) }) },
              { S: 'not json' },
              { S: JSON.stringify(newKey(1)) },
            ],
          },
        },
      }),
    );

    expect(await log.recall(ACCOUNT, LEAKED, new Date(start))).toEqual([newKey(1)]);
  });

  it('tells which key made a user, a role or a key (not the user a key was made for), within the keep window only', async () => {
    const { log } = await setUp();
    const now = new Date(start);
    await log.remember(ACCOUNT, LEAKED, [{ kind: 'user', userName: 'tmp-runner-1', at: isoAt(start, 0) }, newKey(1)], now);
    await log.remember(ACCOUNT, LEAKED, [{ kind: 'role', roleName: 'pivot', at: isoAt(start, 0) }], now);

    expect(await log.creatorOf(ACCOUNT, ['user/tmp-runner-1'], now)).toEqual({
      made: 'user/tmp-runner-1',
      creatorKeyId: LEAKED,
      at: isoAt(start, 0),
    });
    expect(await log.creatorOf(ACCOUNT, ['role/pivot'], now)).toMatchObject({ creatorKeyId: LEAKED });
    expect(await log.creatorOf(ACCOUNT, ['user/ops-admin', 'AKIAOPSADMINNEWKEY01'], now)).toMatchObject({
      made: 'AKIAOPSADMINNEWKEY01',
    });
    expect(await log.creatorOf(ACCOUNT, ['user/ops-admin'], now)).toBeUndefined();
    expect(await log.creatorOf('210987654321', ['user/tmp-runner-1'], now)).toBeUndefined();
    expect(await log.creatorOf(ACCOUNT, ['user/tmp-runner-1'], new Date(start + 3600_000 + 1))).toBeUndefined();
  });
});
