import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { emittedMetrics, named } from '../../src/metrics/readEmfLines';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
import { lambdaHarness } from '../support/lambdaHarness';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { reportAbout } from '../support/reports';

const TEN_MINUTES = 10 * 60_000;

/** The Tor-caller finding about a key of a user, its activity last seen ten minutes ago. */
function torFinding(userName: string, accessKeyId: string, id = 'metrics-finding') {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.id = id;
  event.detail.id = id;
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  event.detail.service.eventLastSeen = new Date(Date.now() - TEN_MINUTES).toISOString();
  Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId });
  return event;
}

const base = { service: 'keystop', Stage: 'test' };
const sets = (...sets: string[][]) => sets.map((set) => [...set, 'Stage', 'service'].sort());

describe('Metrics a handler writes (CloudWatch EMF, namespace Keystop)', () => {
  it('a containment: one response, one containment by credential kind, both latencies, the alert and the lookup', async () => {
    // Prepare
    const { clients, deps, emf } = await localResponder();
    const { userName, leaked } = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);

    // Act
    await handler(torFinding(userName, leaked), lambdaContext());

    // Assess
    expect((await keyStatuses(clients.iam, userName))[leaked]).toBe('Inactive');
    const metrics = emittedMetrics(emf);
    expect(metrics.every((m) => m.namespace === 'Keystop')).toBe(true);
    expect(named(metrics, 'Responses')).toEqual([
      {
        namespace: 'Keystop',
        name: 'Responses',
        unit: 'Count',
        value: 1,
        dimensions: { ...base, Source: 'guardduty', Outcome: 'contained', Reason: 'matched' },
        dimensionSets: sets(['Outcome'], ['Outcome', 'Source'], ['Outcome', 'Reason']),
      },
    ]);
    expect(named(metrics, 'Containments')).toEqual([
      expect.objectContaining({
        unit: 'Count',
        value: 1,
        dimensions: { ...base, CredentialKind: 'long-term-key' },
        dimensionSets: sets([], ['CredentialKind']),
      }),
    ]);
    const [fromEntry] = named(metrics, 'TimeToContainFromEntry');
    const [fromFirstSeen] = named(metrics, 'TimeToContainFromFirstSeen');
    expect(fromEntry).toMatchObject({
      unit: 'Milliseconds',
      dimensions: { ...base, Source: 'guardduty' },
      dimensionSets: sets([], ['Source']),
    });
    expect(fromFirstSeen).toMatchObject({ unit: 'Milliseconds', dimensions: { ...base, Source: 'guardduty' } });
    // Measured to the same acknowledgement: the finding's time is ten minutes before the handler was entered.
    const entry = fromEntry!.value as number;
    const firstSeen = fromFirstSeen!.value as number;
    expect(entry).toBeGreaterThanOrEqual(0);
    expect(firstSeen).toBeGreaterThanOrEqual(TEN_MINUTES + entry - 1_000);
    expect(firstSeen).toBeLessThanOrEqual(TEN_MINUTES + entry + 60_000);
    expect(named(metrics, 'AlertsPublished')).toEqual([
      expect.objectContaining({ value: 1, dimensions: { ...base, AlertType: 'response' }, dimensionSets: sets([], ['AlertType']) }),
    ]);
    // The emulator has no CloudTrail LookupEvents: the sandbox's enricher says so.
    expect(named(metrics, 'ForensicsLookups')).toEqual([
      expect.objectContaining({ value: 1, dimensions: { ...base, Result: 'unavailable' }, dimensionSets: sets(['Result']) }),
    ]);
    for (const absent of ['ContainmentsFailed', 'FailedSteps', 'BreakerHeld', 'BreakerOpened', 'AlertsFailed', 'ReContainments']) {
      expect(named(metrics, absent)).toEqual([]);
    }
  });

  it('a duplicate report: a duplicate response and nothing else', async () => {
    const { clients, deps, emf } = await localResponder();
    const { userName, leaked } = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);
    await handler(torFinding(userName, leaked), lambdaContext());
    emf.length = 0;

    const [repeat] = await handler(torFinding(userName, leaked), lambdaContext());

    expect(repeat?.outcome).toBe('duplicate');
    expect(emittedMetrics(emf)).toEqual([
      expect.objectContaining({
        name: 'Responses',
        value: 1,
        dimensions: { ...base, Source: 'guardduty', Outcome: 'duplicate', Reason: 'duplicate-report' },
      }),
    ]);
  });

  it('a containment IAM refuses (an SCP): the failed response, the failed step by action, and its alert', async () => {
    const local = await localResponder();
    const { iam, sns, dynamodb } = local.responderClients;
    const { deliver, arm } = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb });
    const { userName, leaked } = await userWithTwoKeys(local.clients.iam);
    arm({ call: 'IAM:UpdateAccessKey', kind: 'denied', times: 9 });

    const delivery = await deliver(torFinding(userName, leaked));

    expect(delivery.responses[0]).toMatchObject({ outcome: 'failed', reason: 'access-denied' });
    const metrics = emittedMetrics(local.emf);
    expect(named(metrics, 'Responses')).toEqual([
      expect.objectContaining({ value: 1, dimensions: { ...base, Source: 'guardduty', Outcome: 'failed', Reason: 'access-denied' } }),
    ]);
    expect(named(metrics, 'ContainmentsFailed')).toEqual([
      expect.objectContaining({
        unit: 'Count',
        value: 1,
        dimensions: { ...base, Source: 'guardduty' },
        dimensionSets: sets([], ['Source']),
      }),
    ]);
    expect(named(metrics, 'FailedSteps')).toEqual([
      expect.objectContaining({
        unit: 'Count',
        value: 1,
        dimensions: { ...base, Action: 'deactivate-access-key' },
        dimensionSets: sets(['Action']),
      }),
    ]);
    expect(named(metrics, 'AlertsPublished').map((m) => m.dimensions.AlertType)).toEqual(['response']);
    expect(named(metrics, 'Containments')).toEqual([]);
    expect(named(metrics, 'TimeToContainFromEntry')).toEqual([]);
  });

  it('a containment that keeps failing (throttled): each failed attempt writes its failed response, read from the error', async () => {
    const local = await localResponder();
    const { iam, sns, dynamodb } = local.responderClients;
    const { deliver, arm } = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb });
    const { userName, leaked } = await userWithTwoKeys(local.clients.iam);
    // Past the SDK's own retries, on every one of Lambda's attempts.
    arm({ call: 'IAM:UpdateAccessKey', kind: 'throttle', times: 99 });

    const delivery = await deliver(torFinding(userName, leaked));

    expect(delivery.succeeded).toBe(false);
    const metrics = emittedMetrics(local.emf);
    const failedResponses = named(metrics, 'Responses').filter((m) => m.dimensions.Outcome === 'failed');
    expect(failedResponses).toHaveLength(delivery.attempts);
    expect(failedResponses[0]!.dimensions).toMatchObject({ Source: 'guardduty', Reason: 'containment-failed' });
    expect(named(metrics, 'ContainmentsFailed')).toHaveLength(delivery.attempts);
    expect(named(metrics, 'FailedSteps').every((m) => m.dimensions.Action === 'deactivate-access-key')).toBe(true);
  });

  it('an escalation: a weaker report alerted on, then a stronger one contains; counted as a re-containment', async () => {
    const local = await localResponder();
    const { iam, sns, dynamodb } = local.responderClients;
    const { deliver } = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb });
    const { userName, leaked } = await userWithTwoKeys(local.clients.iam);
    const ref = { userName, accessKeyId: leaked };
    await deliver(reportAbout('guardduty-stealth', ref, uniqueName('weak')));
    local.emf.length = 0;

    const strong = await deliver(reportAbout('guardduty-tor', ref, uniqueName('strong')));

    expect(strong.responses[0]).toMatchObject({ outcome: 'contained', reason: 'escalated' });
    const metrics = emittedMetrics(local.emf);
    expect(named(metrics, 'ReContainments')).toEqual([
      expect.objectContaining({
        unit: 'Count',
        value: 1,
        dimensions: { ...base, Reason: 'escalated' },
        dimensionSets: sets([], ['Reason']),
      }),
    ]);
    expect(named(metrics, 'Containments')).toHaveLength(1);
  });

  it('the breaker: the incident held counts as held, the breaker opening once, with its alert', async () => {
    const { clients, deps, emf } = await localResponder({ state: { breakerLimit: 1 } });
    const first = await userWithTwoKeys(clients.iam);
    const second = await userWithTwoKeys(clients.iam);
    const third = await userWithTwoKeys(clients.iam);
    const handler = makeHandler(guardDutySource, deps);
    await handler(torFinding(first.userName, first.leaked, 'one'), lambdaContext());
    emf.length = 0;

    const [held] = await handler(torFinding(second.userName, second.leaked, 'two'), lambdaContext());
    const opening = emittedMetrics(emf.splice(0));
    await handler(torFinding(third.userName, third.leaked, 'three'), lambdaContext());
    const stillOpen = emittedMetrics(emf);

    expect(held).toMatchObject({ outcome: 'notified', reason: 'breaker-open' });
    expect((await keyStatuses(clients.iam, second.userName))[second.leaked]).toBe('Active');
    expect(named(opening, 'Responses')).toEqual([
      expect.objectContaining({ dimensions: { ...base, Source: 'guardduty', Outcome: 'notified', Reason: 'breaker-open' } }),
    ]);
    expect(named(opening, 'BreakerHeld')).toEqual([
      expect.objectContaining({ unit: 'Count', value: 1, dimensions: base, dimensionSets: sets([]) }),
    ]);
    expect(named(opening, 'BreakerOpened')).toEqual([
      expect.objectContaining({ unit: 'Count', value: 1, dimensions: base, dimensionSets: sets([]) }),
    ]);
    expect(
      named(opening, 'AlertsPublished')
        .map((m) => m.dimensions.AlertType)
        .sort(),
    ).toEqual(['breaker', 'response']);
    expect(named(opening, 'Containments')).toEqual([]);
    // Later incidents are held too, but the breaker opened only once.
    expect(named(stillOpen, 'BreakerHeld')).toHaveLength(1);
    expect(named(stillOpen, 'BreakerOpened')).toEqual([]);
  });
});
