import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';
import { runCli } from '../support/runCli';

function torFinding(userName: string, accessKeyId: string, id: string) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.id = id;
  event.detail.id = id;
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId });
  return event;
}

describe('Responder commands for scripts', () => {
  it('contain --json without a topic: the response and the alert it would have sent, as one JSON object', async () => {
    const { endpoint, clients } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const { stdout } = await runCli(['contain', '--access-key', leaked, '--json'], { endpoint });
    const printed = JSON.parse(stdout);

    expect(printed.responses).toEqual([expect.objectContaining({ outcome: 'contained', reason: 'matched', policy: 'manual-report' })]);
    expect(printed.alerts).toEqual([expect.objectContaining({ subject: expect.stringContaining(`Keystop CONTAINED: ${leaked}`) })]);
    expect(printed.alerts[0].document).toMatchObject({ schema: 'keystop.alert' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
  });

  it("breaker reset --contain-held contains, with the responder's credentials, what the open breaker held", async () => {
    const { endpoint, clients, deps, sink, tableName } = await localResponder({ state: { breakerLimit: 1 } });
    const [first, held] = [await userWithTwoKeys(clients.iam), await userWithTwoKeys(clients.iam)];
    const handler = makeHandler(guardDutySource, deps);
    await handler(torFinding(first.userName, first.leaked, crypto.randomUUID()), lambdaContext());
    const [heldResponse] = await handler(torFinding(held.userName, held.leaked, crypto.randomUUID()), lambdaContext());
    await sink.drain();

    const { stdout } = await runCli(
      ['breaker', 'reset', '--table', tableName!, '--account', LOCAL_ACCOUNT_ID, '--contain-held', '--topic-arn', sink.topicArn, '--json'],
      { endpoint },
    );

    expect(heldResponse).toMatchObject({ outcome: 'notified', reason: 'breaker-open' });
    expect(JSON.parse(stdout).responses).toEqual([expect.objectContaining({ outcome: 'contained' })]);
    expect(await keyStatuses(clients.iam, held.userName)).toEqual({ [held.leaked]: 'Inactive', [held.decoy]: 'Active' });
    expect((await sink.drain()).map((a) => a.subject)).toEqual([expect.stringContaining(`CONTAINED`)]);
  });
});
