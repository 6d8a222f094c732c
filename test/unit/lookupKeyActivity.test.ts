import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { cloudTrailEnricher } from '../../src/report/activity/Enricher';
import { type ActivityLookupSettings, lookupKeyActivity } from '../../src/report/activity/lookupKeyActivity';
import { credentials, incidentAbout } from '../support/incidents';
import { recordedCloudTrail } from '../support/recordedLookup';

const KEY = 'AKIAFIXTURELEAKED001';
const NOW = new Date('2026-10-02T08:20:00Z');
const settings: ActivityLookupSettings = { windowHours: 24, regions: ['us-east-1'], maxPagesPerRegion: 10, timeLimitMs: 5_000 };

describe('What the key did: CloudTrail LookupEvents by access key', () => {
  it('reads every page of a recorded multi-page answer and summarises it: calls by name, source IPs, first and last seen, the calls that matter', async () => {
    const { client, inputs } = recordedCloudTrail();

    const report = await lookupKeyActivity(() => client, KEY, settings, NOW);

    expect(inputs).toHaveLength(3);
    expect(inputs[0]).toMatchObject({
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }],
      StartTime: new Date('2026-10-01T08:20:00Z'),
      EndTime: NOW,
      MaxResults: 50,
    });
    expect(inputs.map((i) => i.NextToken)).toEqual([undefined, 'token-page-2', 'token-page-3']);
    expect(report).toEqual({
      status: 'complete',
      accessKeyId: KEY,
      window: { from: '2026-10-01T08:20:00.000Z', to: '2026-10-02T08:20:00.000Z' },
      regions: ['us-east-1'],
      regionErrors: [],
      pagesRead: 3,
      eventCount: 11,
      firstSeen: '2026-10-02T08:14:03.000Z',
      lastSeen: '2026-10-02T08:16:45.000Z',
      calls: [
        { name: 'sts:GetCallerIdentity', count: 3 },
        { name: 'ec2:RunInstances', count: 1 },
        { name: 'iam:AttachUserPolicy', count: 1 },
        { name: 'iam:CreateAccessKey', count: 1 },
        { name: 'iam:CreateUser', count: 1 },
        { name: 'iam:ListAttachedUserPolicies', count: 1 },
        { name: 'iam:ListUsers', count: 1 },
        { name: 's3:ListBuckets', count: 1 },
        { name: 'sts:AssumeRole', count: 1 },
      ],
      sourceIps: [
        { ip: '192.0.2.77', count: 8 },
        { ip: '198.51.100.23', count: 3 },
      ],
      notable: [
        {
          time: '2026-10-02T08:14:03.000Z',
          name: 'ec2:RunInstances',
          region: 'us-east-1',
          sourceIp: '198.51.100.23',
          target: 'instanceType=p3.16xlarge',
        },
        {
          time: '2026-10-02T08:15:20.000Z',
          name: 'sts:AssumeRole',
          region: 'us-east-1',
          sourceIp: '198.51.100.23',
          target: 'roleArn=arn:aws:iam::111122223333:role/ci-deployer',
        },
        {
          time: '2026-10-02T08:15:50.000Z',
          name: 'iam:CreateUser',
          region: 'us-east-1',
          sourceIp: '192.0.2.77',
          target: 'userName=backup-admin',
        },
        {
          time: '2026-10-02T08:16:10.000Z',
          name: 'iam:CreateAccessKey',
          region: 'us-east-1',
          sourceIp: '192.0.2.77',
          target: 'userName=backup-admin',
        },
        {
          time: '2026-10-02T08:16:30.000Z',
          name: 'iam:AttachUserPolicy',
          region: 'us-east-1',
          sourceIp: '192.0.2.77',
          errorCode: 'AccessDenied',
          target: 'userName=backup-admin',
        },
      ],
    });
  });

  it('stops at its page cap and says the summary is partial', async () => {
    const { client, inputs } = recordedCloudTrail();

    const report = await lookupKeyActivity(() => client, KEY, { ...settings, maxPagesPerRegion: 2 }, NOW);

    expect(inputs).toHaveLength(2);
    expect(report).toMatchObject({ status: 'partial', stoppedBy: 'page-cap', pagesRead: 2, eventCount: 8 });
  });

  it('is not partial when the last page read is the last page there is', async () => {
    const { client } = recordedCloudTrail();

    const report = await lookupKeyActivity(() => client, KEY, { ...settings, maxPagesPerRegion: 3 }, NOW);

    expect(report).toMatchObject({ status: 'complete', pagesRead: 3 });
  });

  it('stops at its time limit, abandoning the request in flight, and keeps what it read', async () => {
    // Prepare: the first page answers, the second never does; the time limit runs on a fake clock
    let secondPageAsked!: () => void;
    const asked = new Promise<void>((resolve) => {
      secondPageAsked = resolve;
    });
    const { client, inputs } = recordedCloudTrail({
      holdPage: (index) => {
        if (index === 0) return Promise.resolve();
        secondPageAsked();
        return new Promise(() => undefined);
      },
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // Act
      const lookup = lookupKeyActivity(() => client, KEY, { ...settings, timeLimitMs: 250 }, NOW);
      let settled = false;
      void lookup.finally(() => {
        settled = true;
      });
      await asked;
      await vi.advanceTimersByTimeAsync(249);
      const settledBeforeTheLimit = settled;
      await vi.advanceTimersByTimeAsync(1);
      const report = await lookup;

      // Assess
      expect(settledBeforeTheLimit).toBe(false);
      expect(inputs).toHaveLength(2);
      expect(report).toMatchObject({ status: 'partial', stoppedBy: 'time-limit', pagesRead: 1, eventCount: 4 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('searches each configured region and reports a region that failed next to those that answered', async () => {
    const { client: answering } = recordedCloudTrail();
    const failing = new CloudTrailClient({ region: 'eu-west-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    mockClient(failing)
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    const report = await lookupKeyActivity(
      (region) => (region === 'us-east-1' ? answering : failing),
      KEY,
      { ...settings, regions: ['us-east-1', 'eu-west-1'] },
      NOW,
    );

    expect(report).toMatchObject({
      status: 'complete',
      eventCount: 11,
      regions: ['us-east-1', 'eu-west-1'],
      regionErrors: [{ region: 'eu-west-1', error: 'ThrottlingException: Rate exceeded' }],
    });
  });

  it('reports "unavailable" when CloudTrail refuses the lookup, and "failed" when it breaks, never throwing', async () => {
    const denied = new CloudTrailClient({ region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    mockClient(denied)
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error('not authorized to perform cloudtrail:LookupEvents'), { name: 'AccessDeniedException' }));
    const broken = new CloudTrailClient({ region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    mockClient(broken)
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));

    await expect(lookupKeyActivity(() => denied, KEY, settings, NOW)).resolves.toEqual({
      status: 'unavailable',
      reason:
        'CloudTrail LookupEvents is not available (us-east-1: AccessDeniedException: not authorized to perform cloudtrail:LookupEvents)',
    });
    await expect(lookupKeyActivity(() => broken, KEY, settings, NOW)).resolves.toEqual({
      status: 'failed',
      reason: 'CloudTrail LookupEvents failed (us-east-1: TimeoutError: socket hang up)',
    });
  });

  it('looks in the incident region and us-east-1 by default, and not at all for a sample finding or a credential without a key', async () => {
    const { client, inputs } = recordedCloudTrail();
    const regions: string[] = [];
    const enricher = cloudTrailEnricher(
      (region) => {
        regions.push(region);
        return client;
      },
      { ...settings, regions: [] },
      () => NOW,
    );

    await enricher.activityOf(incidentAbout(credentials['long-term-key']));
    const sample = await enricher.activityOf(incidentAbout(credentials['long-term-key'], { sample: true }));
    const keyless = await enricher.activityOf(incidentAbout(credentials['iam-user']));

    expect(regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(inputs).toHaveLength(6);
    expect(sample).toEqual({ status: 'not-applicable', reason: 'a sample finding names no real key' });
    expect(keyless).toMatchObject({ status: 'not-applicable' });
  });
});
