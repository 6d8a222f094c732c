import { BatchUpdateFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { securityHubFindingUpdater } from '../../src/report/audit/securityHubFindingUpdater';
import { credentials, incidentAbout, responseTo } from '../support/incidents';

// The emulator (moto 5.2) has no BatchUpdateFindings: the SDK client is mocked, the request it would send is checked.
function securityHub() {
  const client = new SecurityHubClient({ region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  const mock = mockClient(client);
  mock.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
  const regions: string[] = [];
  return {
    mock,
    securityHubIn: async (region: string) => {
      regions.push(region);
      return client;
    },
    regions,
  };
}

const findingArn = 'arn:aws:guardduty:eu-west-1:111122223333:detector/0f1e/finding/a1b2c3d4e5f60718293a4b5c6d7e8f90';
const fromSecurityHub = incidentAbout(credentials['long-term-key'], {
  source: 'security-hub',
  id: `security-hub:111122223333:${findingArn}`,
  origin: { findingId: findingArn, findingArn, eventId: 'e1', productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty' },
});
const deactivated = {
  type: 'deactivate-access-key' as const,
  status: 'done' as const,
  target: 'AKIAEXAMPLELEAKED001',
  reason: 'deactivated access key AKIAEXAMPLELEAKED001 of user build-bot',
};

describe('Security Hub finding update', () => {
  it("notes on the finding what Keystop did and sets its workflow status to NOTIFIED, in the finding's region", async () => {
    const { mock, securityHubIn, regions } = securityHub();

    const result = await securityHubFindingUpdater(securityHubIn).update(responseTo(fromSecurityHub, { actions: [deactivated] }));

    expect(regions).toEqual(['eu-west-1']);
    expect(mock.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input)).toEqual([
      {
        FindingIdentifiers: [{ Id: findingArn, ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty' }],
        Note: {
          Text: "Keystop contained (matched, policy guardduty-key-used-by-attacker): deactivated access key AKIAEXAMPLELEAKED001 of user build-bot. GuardDuty saw the credential used from a Tor address: the key is in someone else's hands. Contain it.",
          UpdatedBy: 'keystop',
        },
        Workflow: { Status: 'NOTIFIED' },
      },
    ]);
    expect(result).toEqual({
      type: 'update-finding',
      status: 'done',
      target: findingArn,
      reason: 'noted what Keystop did; workflow status NOTIFIED',
    });
  });

  it('leaves a finding whose containment failed in NEW, so it stays in the triage queue, with a note', async () => {
    const { mock, securityHubIn } = securityHub();

    await securityHubFindingUpdater(securityHubIn).update(responseTo(fromSecurityHub, { outcome: 'failed', reason: 'containment-failed' }));

    const [call] = mock.commandCalls(BatchUpdateFindingsCommand);
    expect(call!.args[0].input.Workflow).toBeUndefined();
    expect(call!.args[0].input.Note?.Text).toMatch(/^Keystop failed \(containment-failed/);
  });

  it("bounds the note to Security Hub's 512 characters and neutralises hostile text in it", async () => {
    const { mock, securityHubIn } = securityHub();

    await securityHubFindingUpdater(securityHubIn).update(responseTo(fromSecurityHub, { explanation: `<!channel>\n${'x'.repeat(2000)}` }));

    const text = mock.commandCalls(BatchUpdateFindingsCommand)[0]!.args[0].input.Note!.Text!;
    expect(Array.from(text).length).toBeLessThanOrEqual(512);
    expect(text).not.toMatch(/<!|\n/);
  });

  it('throws when Security Hub leaves the finding unprocessed (the reporter records it as failed)', async () => {
    const { mock, securityHubIn } = securityHub();
    mock.on(BatchUpdateFindingsCommand).resolves({
      ProcessedFindings: [],
      UnprocessedFindings: [
        { FindingIdentifier: { Id: findingArn, ProductArn: 'p' }, ErrorCode: 'FindingNotFound', ErrorMessage: 'no such finding' },
      ],
    });

    await expect(securityHubFindingUpdater(securityHubIn).update(responseTo(fromSecurityHub))).rejects.toThrow(
      /FindingNotFound no such finding/,
    );
  });

  it("names GuardDuty's product in the finding's own partition when the finding did not carry it (GovCloud, China)", async () => {
    const { mock, securityHubIn } = securityHub();
    const govArn = 'arn:aws-us-gov:guardduty:us-gov-west-1:111122223333:detector/0f1e/finding/0a1b';
    const inGovCloud = { ...fromSecurityHub, region: 'us-gov-west-1', origin: { findingId: govArn, findingArn: govArn, eventId: 'e1' } };

    await securityHubFindingUpdater(securityHubIn).update(responseTo(inGovCloud));

    expect(mock.commandCalls(BatchUpdateFindingsCommand)[0]!.args[0].input.FindingIdentifiers).toEqual([
      { Id: govArn, ProductArn: 'arn:aws-us-gov:securityhub:us-gov-west-1::product/aws/guardduty' },
    ]);
  });

  it('does nothing for incidents that did not come from Security Hub', async () => {
    const { mock, securityHubIn } = securityHub();

    await expect(
      securityHubFindingUpdater(securityHubIn).update(responseTo(incidentAbout(credentials['long-term-key']))),
    ).resolves.toBeUndefined();
    expect(mock.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0);
  });
});
