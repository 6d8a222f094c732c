import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';
import { runCli } from '../support/runCli';

type Failure = { code: number; stdout: string; stderr: string };

describe('keystop contain --access-key: a manual containment, as the deployment records one', () => {
  it("is recorded in the stage's state table, so the release command its alert prints undoes it", async () => {
    const { endpoint, clients, sink, tableName } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const contained = JSON.parse(
      (await runCli(['contain', '--access-key', leaked, '--table', tableName!, '--topic-arn', sink.topicArn, '--json'], endpoint)).stdout,
    );
    const incidentId: string = contained.responses[0].incident.id;
    const [alert] = await sink.drain();
    const printed = /keystop release --incident (\S+) --reason/.exec(alert!.text)?.[1];
    const statusWhileContained = await keyStatuses(clients.iam, userName);

    const release = await runCli(
      ['release', '--incident', printed!, '--reason', 'a drill', '--table', tableName!, '--topic-arn', sink.topicArn],
      endpoint,
    );
    const listed = await runCli(['incidents', '--table', tableName!], endpoint);

    expect(incidentId).toMatch(new RegExp(`^manual:${LOCAL_ACCOUNT_ID}:${leaked}:`));
    expect(printed).toBe(incidentId);
    expect(statusWhileContained).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    const [released] = await sink.drain();
    expect(released!.subject).toContain('RELEASED');
    // What a release did reads as undone, in its output, the alert and the listing; never "[done] deactivate-access-key".
    for (const text of [release.stdout, released!.text, listed.stdout]) {
      expect(text).toMatch(new RegExp(`\\[undone\\] deactivate-access-key ${leaked}`));
      expect(text).not.toMatch(/\[done\] deactivate-access-key/);
    }
    expect(released!.text).not.toContain('IMPACT OF THE CONTAINMENT');
  });

  it('without a state table it still contains, and says the containment is not recorded', async () => {
    const { endpoint, clients, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const { stderr } = await runCli(
      ['contain', '--access-key', leaked, '--table', 'no-such-keystop-table', '--topic-arn', sink.topicArn],
      endpoint,
    );

    expect(stderr).toContain('the state table no-such-keystop-table in us-east-1 does not exist: this containment is not recorded');
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
  });

  it('refuses a key IAM does not know: exit 1, a clear message, no alert', async () => {
    const { endpoint, sink } = await localResponder();

    const failure = await runCli(['contain', '--access-key', 'AKIAZZZZZZZZZZZZZZZZ', '--topic-arn', sink.topicArn], endpoint).then(
      () => undefined,
      (error: Failure) => error,
    );

    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim().split('\n').at(-1)).toBe(
      `keystop: IAM does not know access key AKIAZZZZZZZZZZZZZZZZ in account ${LOCAL_ACCOUNT_ID}: nothing was contained and nobody was alerted (a typo, a deleted key, or another account's key: use that account's credentials)`,
    );
    expect(failure?.stdout).toBe('');
    expect(await sink.drain()).toEqual([]);
  });
});
