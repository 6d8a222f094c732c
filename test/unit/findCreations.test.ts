import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import type { Creation } from '../../src/domain/Creation';
import { creationFinder } from '../../src/facts/findCreations';
import type { CreationLog } from '../../src/stores/dynamoCreationLog';
import { clockStart, isoAt } from '../support/testClock';

const OWN = '111122223333';
const MEMBER = '222222222222';
const KEY = 'AKIABUILDBOTLEAKED01';
const start = clockStart();
const newKey: Creation = { kind: 'access-key', userName: 'ops-admin', accessKeyId: 'AKIAOPSADMINNEWKEY01', at: isoAt(start, -60_000) };
const newUser: Creation = { kind: 'user', userName: 'backdoor', at: isoAt(start, -120_000) };

const log = (found: Creation[] | Error): CreationLog => ({
  remember: async () => undefined,
  creatorOf: async () => undefined,
  recall: async () => {
    if (found instanceof Error) throw found;
    return { creations: found, overflowed: false };
  },
});

/** An event history that answers one page (a real client, its transport replaced): CloudTrail's records of these calls. */
const history =
  (...records: object[]) =>
  () =>
    Object.assign(new CloudTrailClient({ region: 'us-east-1' }), {
      send: async () => ({ Events: records.map((r) => ({ CloudTrailEvent: JSON.stringify(r) })) }),
    });

const createAccessKeyRecord = {
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateAccessKey',
  eventTime: newKey.at,
  userIdentity: { accessKeyId: KEY, userName: 'build-bot' },
  requestParameters: { userName: 'ops-admin' },
  responseElements: { accessKey: { userName: 'ops-admin', accessKeyId: newKey.accessKeyId } },
};
const settings = { ownAccountId: OWN, windowHours: 24, maxPages: 2, timeLimitMs: 1_000 };

describe('What a key made: the creation log and the event history, merged', () => {
  it('merges both sources, one entry per thing (the same key from both is one), oldest first, and says which answered what', async () => {
    const finder = creationFinder({
      ...settings,
      log: log([newKey]),
      cloudTrail: history(createAccessKeyRecord, {
        ...createAccessKeyRecord,
        eventName: 'CreateUser',
        requestParameters: { userName: 'backdoor' },
        eventTime: newUser.at,
      }),
    });

    const found = await finder.createdBy(OWN, KEY, new Date(start));

    expect(found.creations).toEqual([newUser, newKey]);
    expect(found.sources).toEqual(['creation log: 1', expect.stringMatching(/^event history: 2 \(1 page\(s\)/)]);
    expect(found.complete).toBe(true);
  });

  it("reads no member account's history with Keystop's own clients, and counts a failing source as incomplete", async () => {
    const member = await creationFinder({ ...settings, log: log([newKey]), cloudTrail: history(createAccessKeyRecord) }).createdBy(
      MEMBER,
      KEY,
      new Date(start),
    );
    const failing = await creationFinder({ ...settings, log: log(new Error('throttled')), cloudTrail: undefined }).createdBy(
      OWN,
      KEY,
      new Date(start),
    );

    expect(member).toMatchObject({ creations: [newKey], complete: true });
    expect(member.sources[1]).toBe(`event history: not read (account ${MEMBER}'s history is not Keystop's to read)`);
    expect(failing).toEqual({
      creations: [],
      sources: ['creation log unreadable (Error: throttled)', 'event history: not read (switched off)'],
      complete: false,
    });
  });
});
