import { CreateRoleCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { securityHubSource } from '../../src/events/securityHubSource';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { iamAndSns, keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';

/** A Security Hub fixture about the emulator's account, with every name replaced as given. */
function batch(fixture: string, replacements: Record<string, string>) {
  let text = JSON.stringify(loadFixture(`security-hub/${fixture}`))
    .split('111122223333')
    .join(LOCAL_ACCOUNT_ID);
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  return JSON.parse(text);
}

describe('Security Hub handler against the local AWS emulator', () => {
  it('contains every credential of a batch with two new findings: the key is deactivated, the role session revoked', async () => {
    const { clients, sink, deps } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const roleName = uniqueName('web-tier');
    await clients.iam.send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    );
    const event = batch('two-new-guardduty-key-findings.json', {
      AKIASECHUBLEAKED0001: leaked,
      'report-exporter': userName,
      '"web-tier"': `"${roleName}"`,
    });

    const responses = await makeHandler(securityHubSource, deps)(event, lambdaContext());

    expect(responses.map((r) => [r.outcome, r.incident?.credential.kind])).toEqual([
      ['contained', 'long-term-key'],
      ['contained', 'role-session'],
    ]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    const { PolicyNames } = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    expect(PolicyNames).toEqual(['keystop-revoke-older-sessions']);
    const alerts = await sink.drain();
    expect(alerts.map((a) => a.attributes.source)).toEqual(['security-hub', 'security-hub']);
  });

  it('does nothing, and calls no AWS API, for an update of a finding that is no longer NEW', async () => {
    const { clients, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = batch('notified-update.json', { AKIASECHUBLEAKED0001: leaked, 'report-exporter': userName });

    const responses = await makeHandler(securityHubSource, deps)(event, lambdaContext());

    expect(responses).toEqual([expect.objectContaining({ outcome: 'ignored', reason: 'finding-not-new', incident: null })]);
    expect(calls).toEqual([]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('only alerts when Security Hub lost the key id, leaving every key of the user active', async () => {
    const { clients, sink, deps, calls } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = batch('key-unknown-user-only.json', { 'ops-admin': userName });

    const [response] = await makeHandler(securityHubSource, deps)(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', policy: 'user-named-without-key-alert-only' });
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    const [alert] = await sink.drain();
    expect(alert!.attributes.credentialKind).toBe('iam-user');
  });
});
