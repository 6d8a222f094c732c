import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { healthSource } from '../../src/sources/healthSource';
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

    const [response] = await makeHandler(healthSource, deps)(healthNotice('exposed-current-shape.json', leaked, userName), lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', policy: 'health-key-exposed-or-compromised' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(iamAndSns(calls)).toEqual(['IAM:GetUser', 'IAM:UpdateAccessKey', 'SNS:Publish']);
    const [alert] = await sink.drain();
    expect(alert!.attributes).toMatchObject({ source: 'health', outcome: 'contained', credentialKind: 'long-term-key' });
    // Where AWS found the key, defanged like every URL from an event: readable, not clickable.
    expect(alert!.text).toContain('hxxps://example[.]com/acme/infra/blob/main/deploy[.]env');
    expect(alert!.text).not.toContain('https://example.com');
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
    expect(response!.actions[0]).toMatchObject({
      type: 'deactivate-access-key',
      status: 'done',
      target: leaked,
      reason: `deactivated access key ${leaked} of user ${userName}`,
      at: expect.any(String),
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

  it("alerts on an exposure notice whose entity is AWS's placeholder (unmapped-signal), quoting it, and changes nothing", async () => {
    const { clients, sink, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = healthNotice('compromised-minimal-affected-entities.json', 'ACCESS_KEY_ID_HERE');
    event.detail.eventTypeCode = 'AWS_RISK_CREDENTIALS_EXPOSED';

    const [response] = await makeHandler(healthSource, deps)(event, lambdaContext());

    expect(response).toMatchObject({
      outcome: 'notified',
      reason: 'unmapped-signal',
      incident: { credential: { kind: 'unmapped', entities: ['ACCESS_KEY_ID_HERE'] } },
    });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    const [alert, ...more] = await sink.drain();
    expect(more).toEqual([]);
    expect(alert!.attributes).toMatchObject({ source: 'health', outcome: 'notified', credentialKind: 'unmapped' });
    expect(alert!.text).toContain('The report names: "ACCESS_KEY_ID_HERE"');
    expect(alert!.text).toContain('AWS Support case');
  });

  it('deactivates the key a quarantine notice names (the quarantine policy leaves it working)', async () => {
    const { clients, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = healthNotice('exposed-current-shape.json', leaked, userName);
    event.detail.eventTypeCode = 'AWS_RISK_IAM_QUARANTINE';

    const [response] = await makeHandler(healthSource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', policy: 'health-key-exposed-or-compromised' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
  });

  it("makes a user ARN among a notice's entities an iam-user incident: alert, every key left Active", async () => {
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = healthNotice('compromised-minimal-affected-entities.json', `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${userName}`);

    const [response] = await makeHandler(healthSource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', incident: { credential: { kind: 'iam-user', userName } } });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect(await sink.drain()).toHaveLength(1);
  });

  it('contains the AKIA key of a notice naming several keys and alerts on its ownerless ASIA key instead of dropping it', async () => {
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = healthNotice('compromised-minimal-affected-entities.json', leaked);
    event.detail.affectedEntities.push({ entityValue: 'ASIAHEALTHSESSION001' });

    const responses = await makeHandler(healthSource, deps)(event, lambdaContext());

    expect(responses.map((r) => [r.outcome, r.reason, r.incident?.credential.kind])).toEqual([
      ['contained', 'matched', 'long-term-key'],
      ['notified', 'unmapped-signal', 'unmapped'],
    ]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    const alerts = await sink.drain();
    expect(alerts.map((a) => a.attributes.credentialKind).sort()).toEqual(['long-term-key', 'unmapped']);
    expect(alerts.find((a) => a.attributes.credentialKind === 'unmapped')!.text).toContain('"ASIAHEALTHSESSION001"');
  });
});
