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

    expect(await log.recall(ACCOUNT, LEAKED, now)).toEqual({
      creations: [{ kind: 'user', userName: 'backdoor', at: isoAt(start, 1000) }, newKey(2)],
      overflowed: false,
    });
  });

  it('forgets after the keep window, and keeps at most 100 keys, users and roles per creator, marking the rest overflowed', async () => {
    const { log } = await setUp();
    const now = new Date(start);
    for (let n = 0; n < 105; n++) await log.remember(ACCOUNT, LEAKED, [newKey(n)], now);

    const recalled = await log.recall(ACCOUNT, LEAKED, now);
    expect(recalled.creations).toHaveLength(100);
    expect(recalled.overflowed).toBe(true);
    expect(await log.recall(ACCOUNT, LEAKED, new Date(start + 3600_000 + 1))).toEqual({ creations: [], overflowed: false });
  });

  it('a policy written again and again is noted once and cannot push out a key made after it; 100 different policies fill their own list only', async () => {
    const { log } = await setUp();
    const now = new Date(start);
    const policy = (name: string, n: number): Creation => ({
      kind: 'policy',
      on: 'user',
      name: 'build-bot',
      policy: name,
      how: 'inline',
      at: isoAt(start, n),
    });
    for (let n = 0; n < 101; n++) await log.remember(ACCOUNT, LEAKED, [policy('again', n)], now);
    expect(await log.recall(ACCOUNT, LEAKED, now)).toEqual({ creations: [policy('again', 0)], overflowed: false });

    for (let n = 0; n < 101; n++) await log.remember(ACCOUNT, LEAKED, [policy(`p${n}`, 1000 + n)], now);
    await log.remember(ACCOUNT, LEAKED, [newKey(5000)], now);

    const recalled = await log.recall(ACCOUNT, LEAKED, now);
    expect(recalled.creations.filter((c) => c.kind === 'policy')).toHaveLength(100);
    expect(recalled.creations).toContainEqual(newKey(5000));
    expect(recalled.overflowed).toBe(true);
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

    expect((await log.recall(ACCOUNT, LEAKED, new Date(start))).creations).toEqual([newKey(1)]);
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
