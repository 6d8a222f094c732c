import { CloudTrailClient, DescribeTrailsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../src/local/localClients';
import { type LocalCloudTrail, startLocalCloudTrail, type TrailRecord } from '../../src/local/startLocalCloudTrail';
import { lookupKeyActivity } from '../../src/report/activity/lookupKeyActivity';
import { clockStart, isoAt } from '../support/testClock';

const LEAKED = 'AKIALOCALTRAILLEAK01';
const OTHER = 'AKIALOCALTRAILOTHER1';
const start = clockStart();

/** A call made with `accessKeyId`, `minutes` after the clock's start. */
function call(accessKeyId: string, minutes: number, eventName: string, awsRegion = 'us-east-1'): TrailRecord {
  return {
    eventID: `${accessKeyId}-${minutes}-${eventName}-${awsRegion}`,
    eventTime: isoAt(start, minutes * 60_000),
    eventSource: eventName === 'GetCallerIdentity' ? 'sts.amazonaws.com' : 'iam.amazonaws.com',
    eventName,
    awsRegion,
    sourceIPAddress: '198.51.100.23',
    userIdentity: { accessKeyId, userName: 'build-bot' },
    requestParameters: eventName === 'CreateAccessKey' ? { userName: 'ops-admin' } : null,
  };
}

describe('The local CloudTrail event history (LookupEvents over HTTP, for the sandbox and the tests)', () => {
  let trail: LocalCloudTrail;
  const client = (region: string) => new CloudTrailClient({ region, endpoint: trail.endpoint, credentials: LOCAL_CREDENTIALS });
  beforeAll(async () => {
    trail = await startLocalCloudTrail();
    // 60 calls by the leaked key in us-east-1 (two pages of 50), one in eu-west-1, some by another key, one too old.
    for (let m = 0; m < 59; m++) trail.record(call(LEAKED, m, 'GetCallerIdentity'));
    trail.record(call(LEAKED, 59, 'CreateAccessKey'), call(LEAKED, 30, 'ListUsers', 'eu-west-1'));
    trail.record(call(OTHER, 10, 'ListRoles'), call(LEAKED, -48 * 60, 'CreateUser'));
  });
  afterAll(() => trail.close());

  it("pages what one key did in one region, newest first, and nothing of another key's or region's", async () => {
    const first = await client('us-east-1').send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: LEAKED }], MaxResults: 50 }),
    );
    const second = await client('us-east-1').send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: LEAKED }],
        MaxResults: 50,
        NextToken: first.NextToken,
      }),
    );

    expect(first.Events).toHaveLength(50);
    expect(first.Events![0]).toMatchObject({ EventName: 'CreateAccessKey', AccessKeyId: LEAKED, Username: 'build-bot' });
    expect(first.Events![0]!.EventTime).toEqual(new Date(start + 59 * 60_000));
    expect(JSON.parse(first.Events![0]!.CloudTrailEvent!).requestParameters).toEqual({ userName: 'ops-admin' });
    expect(second.Events).toHaveLength(11);
    expect(second.NextToken).toBeUndefined();
    expect([...first.Events!, ...second.Events!].every((e) => e.AccessKeyId === LEAKED)).toBe(true);
  });

  it("answers Keystop's own lookup: the window, every region, the summary an alert carries", async () => {
    const report = await lookupKeyActivity(
      client,
      LEAKED,
      { windowHours: 24, regions: ['us-east-1', 'eu-west-1'], maxPagesPerRegion: 10, timeLimitMs: 5_000 },
      new Date(start + 60 * 60_000),
    );

    expect(report).toMatchObject({
      status: 'complete',
      pagesRead: 3,
      eventCount: 61,
      firstSeen: isoAt(start, 0),
      lastSeen: isoAt(start, 59 * 60_000),
      calls: [
        { name: 'sts:GetCallerIdentity', count: 59 },
        { name: 'iam:CreateAccessKey', count: 1 },
        { name: 'iam:ListUsers', count: 1 },
      ],
    });
  });

  it('refuses what CloudTrail refuses: two lookup attributes, an operation it does not answer', async () => {
    const twoAttributes = client('us-east-1').send(
      new LookupEventsCommand({
        LookupAttributes: [
          { AttributeKey: 'AccessKeyId', AttributeValue: LEAKED },
          { AttributeKey: 'EventName', AttributeValue: 'ListUsers' },
        ],
      }),
    );

    await expect(twoAttributes).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
    await expect(client('us-east-1').send(new DescribeTrailsCommand({}))).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});
