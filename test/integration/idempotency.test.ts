import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { IncompleteResponseError, NotificationFailedError } from '../../src/domain/errors';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import type { Deps } from '../../src/respond/Deps';
import { eventSourceFor } from '../../src/sources/eventSources';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';

/** A fixture moved into the emulator's account, naming the given key and user wherever it named its own. */
function reportOf(fixture: string, accessKeyId: string, userName: string) {
  let text = JSON.stringify(loadFixture(fixture)).split('111122223333').join(LOCAL_ACCOUNT_ID);
  text = text.replace(/AKIA[A-Z0-9]{16}/g, accessKeyId);
  for (const name of ['build-bot', 'report-exporter', 'ci-deployer']) text = text.split(`"${name}"`).join(`"${userName}"`);
  return JSON.parse(text) as Record<string, any>;
}

/** Delivers one event to the handler of its source, as EventBridge would; a thrown error is returned, not thrown. */
async function deliver(deps: Deps, event: unknown): Promise<IncidentResponse[] | Error> {
  const source = eventSourceFor(event)!;
  return makeHandler(source, deps)(event, lambdaContext()).catch((error: Error) => error);
}

const countOf = (calls: string[], call: string) => calls.filter((c) => c === call).length;

describe('De-duplication (DynamoDB conditional writes, against the emulator)', () => {
  it('gives a storm of reports about one key exactly one containment and one alert; the rest are duplicates', async () => {
    // Prepare: the same GuardDuty finding ×10 (re-deliveries and updates), the Security Hub import of it, and
    // AWS Health's primary and backup-region deliveries of an exposure notice for the same key.
    const { clients, deps, calls, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const finding = reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName);
    const storm = [
      ...Array.from({ length: 10 }, (_, i) => ({
        ...finding,
        id: `redelivery-${i}`,
        detail: { ...finding.detail, service: { ...finding.detail.service, count: 3 + i } },
      })),
      reportOf('security-hub/mixed-batch-one-key-finding.json', leaked, userName),
      reportOf('health/exposed-current-shape.json', leaked, userName),
      reportOf('health/exposed-backup-delivery.json', leaked, userName),
    ];

    // Act
    const results = [];
    for (const event of storm) results.push(await deliver(deps, event));

    // Assess
    const outcomes = results.flatMap((r) => (r instanceof Error ? [r.message] : r.filter((x) => x.incident).map((x) => x.outcome)));
    expect(outcomes).toEqual(['contained', ...Array(12).fill('duplicate')]);
    expect(countOf(calls, 'IAM:UpdateAccessKey')).toBe(1);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    const alerts = await sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.attributes.outcome).toBe('contained');
  });

  it('does not send a second alert for a report that arrives while the first invocation is still publishing', async () => {
    const { clients, responderClients, deps, calls, sink } = await localResponder();
    const { userName, leaked } = await userWithTwoKeys(clients.iam);
    const finding = reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName);
    // The responder's first SNS publish waits until the repeat has asked the state table for the credential (its first
    // DynamoDB answer after the publish began): the repeat arrives during the publish on any machine, ordered by
    // promises, not by a timer. The repeat then waits for the first to finish, and finds it answered.
    let publishing = false;
    let publishStarted!: () => void;
    const started = new Promise<void>((resolve) => (publishStarted = resolve));
    let repeatAsked!: () => void;
    const asked = new Promise<void>((resolve) => (repeatAsked = resolve));
    let slowOnce = true;
    responderClients.sns.middlewareStack.add(
      (next) => async (args) => {
        if (slowOnce) {
          slowOnce = false;
          publishing = true;
          publishStarted();
          await asked;
        }
        return next(args);
      },
      { step: 'initialize', name: 'publish-after-the-repeat-asked' },
    );
    responderClients.dynamodb.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } finally {
          if (publishing) repeatAsked();
        }
      },
      { step: 'initialize', name: 'note-the-repeat' },
    );

    const first = deliver(deps, finding);
    await started;
    const second = await deliver(deps, { ...finding, id: 'redelivery-while-publishing' });

    expect((await first) as IncidentResponse[]).toEqual([expect.objectContaining({ outcome: 'contained' })]);
    expect(second).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
    expect(countOf(calls, 'IAM:UpdateAccessKey')).toBe(1);
    expect(await sink.drain()).toHaveLength(1);
  });

  it('contains a key again when a later report finds it re-enabled (no tamper guard watching), and the alert says so', async () => {
    // With the guard (the default), the guard puts the key back on IAM's CloudTrail event: tamperGuard.test.ts.
    const { clients, deps, calls, sink } = await localResponder({ guardWindowMs: 0 });
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const finding = reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName);
    await deliver(deps, finding);
    await sink.drain();
    // Someone re-enables the key while the finding keeps recurring.
    await clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: leaked, Status: 'Active' }));

    const [response] = (await deliver(deps, { ...finding, id: 'recurrence' })) as IncidentResponse[];

    expect(response).toMatchObject({ outcome: 'contained', reason: 'key-re-enabled' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(countOf(calls, 'IAM:UpdateAccessKey')).toBe(2);
    const [alert, ...more] = await sink.drain();
    expect(more).toEqual([]);
    expect(alert!.text).toContain('had been contained by Keystop and was found Active again (someone re-enabled it): contained again');
  });

  it('a key already Inactive is written Inactive again on the critical path (no status read before the write)', async () => {
    // The status is not read before the write (one round trip before containment): writing Inactive is idempotent,
    // and the alert says contained. The exact path (e.g. a key whose owner must be looked up) still tells it apart.
    const { clients, deps, calls, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    await clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: leaked, Status: 'Inactive' }));

    const [response] = (await deliver(
      deps,
      reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName),
    )) as IncidentResponse[];

    expect(countOf(calls, 'IAM:UpdateAccessKey')).toBe(1);
    expect(response).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(await sink.drain()).toHaveLength(1);
  });

  it('does not write a key already Inactive when the exact path reads its status (its owner had to be looked up)', async () => {
    const { clients, deps, calls, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    await clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: leaked, Status: 'Inactive' }));
    const named = await userWithTwoKeys(clients.iam);

    const [response] = (await deliver(
      deps,
      reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, named.userName),
    )) as IncidentResponse[];

    // The one write is the critical path's, refused by IAM (the named user does not hold the key); none after it.
    expect(countOf(calls, 'IAM:UpdateAccessKey')).toBe(1);
    expect(response?.outcome).toBe('contained');
    expect(response?.actions[0]).toMatchObject({
      type: 'deactivate-access-key',
      status: 'skipped',
      reason: 'the key was already Inactive (deactivated before Keystop acted): not written again',
    });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect((await sink.drain())[0]!.text).toContain('already Inactive');
  });

  it('re-sends the alert on the retry after a failed notification, without containing again', async () => {
    const { clients, responderClients, deps, calls, sink } = await localResponder();
    const { userName, leaked } = await userWithTwoKeys(clients.iam);
    const finding = reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName);
    let snsDown = true;
    responderClients.sns.middlewareStack.add(
      (next) => async (args) => {
        if (snsDown) throw new Error('SNS is down');
        return next(args);
      },
      { step: 'initialize', name: 'sns-down' },
    );

    const first = await deliver(deps, finding);
    snsDown = false;
    const retry = (await deliver(deps, finding)) as IncidentResponse[];
    const third = (await deliver(deps, finding)) as IncidentResponse[];

    expect(first).toBeInstanceOf(IncompleteResponseError);
    expect((first as IncompleteResponseError).failures[0]).toBeInstanceOf(NotificationFailedError);
    expect(countOf(calls, 'IAM:UpdateAccessKey')).toBe(1);
    expect(retry[0]).toMatchObject({ outcome: 'contained' });
    expect(retry[0]!.actions.map((a) => `${a.type}:${a.status}`)).toEqual([
      'deactivate-access-key:done',
      'tag-principal:done',
      'notify:done',
      'audit:done',
    ]);
    expect(third[0]).toMatchObject({ outcome: 'duplicate' });
    expect(await sink.drain()).toHaveLength(1);
  });

  it('treats a different key of the same user as a different credential', async () => {
    const { clients, deps, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam, uniqueName('two-leaks'));

    await deliver(deps, reportOf('guardduty/tor-ip-caller-long-term-key.json', leaked, userName));
    await deliver(deps, { ...reportOf('guardduty/tor-ip-caller-long-term-key.json', decoy, userName), id: 'other-key' });

    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Inactive' });
    expect(await sink.drain()).toHaveLength(2);
  });
});
