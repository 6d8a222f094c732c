import { describe, expect, it } from 'vitest';
import { healthSource } from '../../src/events/healthSource';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { iamAndSns, keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';

/** A Health fixture about the emulator's account, naming the given key wherever the fixture names its key. */
function healthNotice(fixture: string, accessKeyId: string, userName?: string) {
  const event = loadFixture(`health/${fixture}`);
  event.account = LOCAL_ACCOUNT_ID;
  const named = JSON.stringify(event).match(/AKIA[A-Z0-9]{16}/)?.[0];
  const rewritten = named ? JSON.parse(JSON.stringify(event).split(named).join(accessKeyId)) : event;
  if (rewritten.detail.eventMetadata) {
    rewritten.detail.eventMetadata.accountId = LOCAL_ACCOUNT_ID;
    if (userName) rewritten.detail.eventMetadata.userName = userName;
  }
  if (rewritten.detail.affectedAccount) rewritten.detail.affectedAccount = LOCAL_ACCOUNT_ID;
  return rewritten;
}

describe('AWS Health handler against the local AWS emulator', () => {
  it('deactivates exactly the key an exposure notice names, and alerts', async () => {
    const { clients, sink, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const [response] = await makeHandler(healthSource, deps)(
      healthNotice('exposed-current-shape.json', leaked, userName),
      lambdaContext(),
    );

    expect(response).toMatchObject({ outcome: 'contained', policy: 'health-key-exposed-or-compromised' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(iamAndSns(calls)).toEqual(['IAM:GetUser', 'IAM:ListAccessKeys', 'IAM:UpdateAccessKey', 'SNS:Publish']);
    const [alert] = await sink.drain();
    expect(alert!.attributes).toMatchObject({ source: 'health', outcome: 'contained', credentialKind: 'long-term-key' });
    expect(alert!.text).toContain('https://example.com/acme/infra/blob/main/deploy.env');
  });

  it('finds the owner of a key named without its user through IAM, and touches no other key', async () => {
    const { clients, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const [response] = await makeHandler(healthSource, deps)(
      healthNotice('compromised-minimal-affected-entities.json', leaked),
      lambdaContext(),
    );

    // The notice named only the key; the response (and so the alert) names the owner IAM gave.
    expect(response!.incident!.credential).toEqual({ kind: 'long-term-key', accessKeyId: leaked, userName });
    expect(response!.actions[0]).toEqual({
      type: 'deactivate-access-key',
      status: 'done',
      target: leaked,
      reason: `deactivated access key ${leaked} of user ${userName}`,
    });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    // The owner is asked once; then its tags and the key's status, then the key is deactivated.
    expect(iamAndSns(calls)).toEqual([
      'IAM:GetAccessKeyLastUsed',
      'IAM:GetUser',
      'IAM:ListAccessKeys',
      'IAM:UpdateAccessKey',
      'SNS:Publish',
    ]);
  });

  it('only alerts on a quarantine notice that names a user, leaving every key of the user active', async () => {
    const { clients, sink, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = healthNotice('iam-quarantine-global-user-only.json', leaked, userName);

    const [response] = await makeHandler(healthSource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'notify-only-policy', policy: 'user-named-without-key-alert-only' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    const [alert] = await sink.drain();
    expect(alert!.attributes).toMatchObject({ source: 'health', outcome: 'notified', credentialKind: 'iam-user' });
  });

  it('only alerts on a suspected exposure', async () => {
    const { clients, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const [response] = await makeHandler(healthSource, deps)(
      healthNotice('exposure-suspected-minimal-resources.json', leaked),
      lambdaContext(),
    );

    expect(response).toMatchObject({ outcome: 'notified', reason: 'notify-only-policy' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });
});
