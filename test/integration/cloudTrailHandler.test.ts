import { describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { cloudTrailSource } from '../../src/sources/cloudTrailSource';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { iamAndSns, keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';

/** A CloudTrail fixture recorded in the emulator's account, with the fixture's user and key replaced. */
function apiCall(fixture: string, replacements: Record<string, string>) {
  let text = JSON.stringify(loadFixture(`cloudtrail/${fixture}`))
    .split('111122223333')
    .join(LOCAL_ACCOUNT_ID);
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  return JSON.parse(text);
}

describe('CloudTrail handler against the local AWS emulator', () => {
  it('deactivates a honey key on its first use, and nothing else', async () => {
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked: honeyKey, decoy } = await userWithTwoKeys(clients.iam);
    const event = apiCall('honey-key-used.json', { AKIAHONEYBAITKEY0001: honeyKey, 'billing-backup-svc': userName });

    const [response] = await makeHandler(cloudTrailSource([honeyKey]), deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', policy: 'cloudtrail-honey-key-used' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [honeyKey]: 'Inactive', [decoy]: 'Active' });
    const [alert] = await sink.drain();
    expect(alert!.attributes).toMatchObject({ source: 'cloudtrail', severity: 'CRITICAL', outcome: 'contained' });
    expect(alert!.text).toContain('203.0.113.66');
  });

  it('contains a honey key on a read-only first call (sts:GetCallerIdentity, what scanners and attackers call first)', async () => {
    // Delivered only because the honey-key rules are in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
    // (test/packaging/honeyKeyRules.test.ts); this is what the handler does with it.
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked: honeyKey, decoy } = await userWithTwoKeys(clients.iam);
    const event = apiCall('honey-key-get-caller-identity.json', { AKIAHONEYBAITKEY0001: honeyKey, 'billing-backup-svc': userName });

    const [response] = await makeHandler(cloudTrailSource([honeyKey]), deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', policy: 'cloudtrail-honey-key-used' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [honeyKey]: 'Inactive', [decoy]: 'Active' });
    const [alert] = await sink.drain();
    expect(alert!.text).toContain('GetCallerIdentity');
  });

  it('finds the owner of a honey key the record does not name, through IAM', async () => {
    const { clients, deps, calls } = await localResponder();
    const { userName, leaked: honeyKey, decoy } = await userWithTwoKeys(clients.iam);
    const event = apiCall('honey-key-used.json', { AKIAHONEYBAITKEY0001: honeyKey });
    delete event.detail.userIdentity.userName;

    await makeHandler(cloudTrailSource([honeyKey]), deps)(event, lambdaContext());

    expect(await keyStatuses(clients.iam, userName)).toEqual({ [honeyKey]: 'Inactive', [decoy]: 'Active' });
    expect(iamAndSns(calls)).toEqual([
      'IAM:GetAccessKeyLastUsed', // the owner, asked once
      'IAM:GetUser',
      'IAM:ListAccessKeys',
      'IAM:UpdateAccessKey',
      'SNS:Publish',
    ]);
  });

  it('ignores a call with the same key when it is not a configured honey key, without any AWS call', async () => {
    const { clients, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = apiCall('honey-key-used.json', { AKIAHONEYBAITKEY0001: leaked, 'billing-backup-svc': userName });

    const [response] = await makeHandler(cloudTrailSource(['AKIAOTHERBAITKEY0001']), deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'ignored', reason: 'not-a-compromise-signal' });
    expect(calls).toEqual([]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('only alerts when AWS attaches its quarantine policy to a user, leaving every key of the user active', async () => {
    const { clients, sink, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = apiCall('quarantine-policy-attached.json', { 'legacy-uploader': userName });

    const [response] = await makeHandler(cloudTrailSource([]), deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', policy: 'user-named-without-key-alert-only' });
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    const [alert] = await sink.drain();
    expect(alert!.text).toContain('AWSCompromisedKeyQuarantineV3');
    expect(alert!.attributes).toMatchObject({ source: 'cloudtrail', credentialKind: 'iam-user' });
  });
});

describe("CloudTrail handler: an offensive tool's user agent, against the local AWS emulator", () => {
  const handlerOf = (deps: Parameters<typeof makeHandler>[1]) => makeHandler(cloudTrailSource([], [], { offensiveUserAgents: true }), deps);

  it('TruffleHog checking a leaked key: alerted with the one-step approval; the key stays Active until someone approves', async () => {
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = apiCall('trufflehog-get-caller-identity.json', { AKIALEAKEDBUILDBOT01: leaked, 'build-bot': userName });

    const [response] = await handlerOf(deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', policy: 'cloudtrail-offensive-tool-user-agent' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    const [alert, ...more] = await sink.drain();
    expect(more).toEqual([]);
    expect(alert!.subject).toMatch(/^Keystop ACTION NEEDED/);
    expect(alert!.text).toContain(`keystop contain --incident ${response!.incident!.id}`);
    expect(alert!.text).toContain('TruffleHog');
  });

  it('a policy that contains on it deactivates exactly that key', async () => {
    const containOnTools = {
      name: 'contain-offensive-tools',
      description: 'This deployment contains a key as soon as an offensive tool uses it.',
      match: { source: ['cloudtrail' as const], type: [{ prefix: 'OffensiveToolUserAgent:' }] },
      mode: 'contain' as const,
      actions: [{ type: 'deactivate-access-key' as const }],
    };
    const { clients, deps } = await localResponder({ policies: [containOnTools, ...defaultPolicies] });
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = apiCall('trufflehog-get-caller-identity.json', { AKIALEAKEDBUILDBOT01: leaked, 'build-bot': userName });

    const [response] = await handlerOf(deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', policy: 'contain-offensive-tools' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
  });

  it('an ordinary user agent is no signal: ignored, no AWS call', async () => {
    const { clients, deps, calls } = await localResponder();
    const { userName, leaked } = await userWithTwoKeys(clients.iam);
    const event = apiCall('trufflehog-get-caller-identity.json', { AKIALEAKEDBUILDBOT01: leaked, 'build-bot': userName });
    event.detail.userAgent = 'aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.1 os/linux#6.8.0 md/arch#x86_64';

    const [response] = await handlerOf(deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'ignored', reason: 'not-a-compromise-signal' });
    expect(calls).toEqual([]);
  });
});
