import { expect } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { deliver, Move } from './attackerCommands';
import { uniqueName } from './localAws';
import { securityHub } from './reports';

/** The attacker's moves on Security Hub findings (fields any principal allowed BatchUpdateFindings or the custom action writes). */

/** BatchUpdateFindings: a LOW finding about a victim's key retyped to TorIPCaller, severity raised, workflow NEW. */
export const retypeVictimFinding = (victim: number) =>
  new Move('retype-victim-finding', `victim ${victim}`, async (model, real) => {
    const { userName, leaked } = real.victims[victim]!;
    const event = securityHub([{ userName, accessKeyId: leaked }], uniqueName('retyped'));
    const finding = event.detail.findings[0];
    finding.FindingProviderFields = {
      Types: ['Software and Configuration Checks/Stealth:IAMUser-CloudTrailLoggingDisabled'],
      Severity: { Label: 'LOW', Original: '2' },
    };
    finding.Types = ['TTPs/Command and Control/UnauthorizedAccess:IAMUser-TorIPCaller'];
    finding.Severity = { Label: 'HIGH', Normalized: 70, Original: '2' };
    finding.Workflow = { Status: 'NEW' };
    await deliver(model, real, event);
  });

/** A note written with `UpdatedBy: keystop` on the NEW finding about the leaked key: still answered as a report. */
export const noteUpdatedByKeystop = () =>
  new Move('note-updated-by-keystop', 'leaked key', async (model, real) => {
    const { userName, leaked } = real.payroll;
    const event = securityHub([{ userName, accessKeyId: leaked }], uniqueName('noted'));
    const finding = event.detail.findings[0];
    finding.Note = { Text: 'Keystop: contained', UpdatedBy: 'keystop', UpdatedAt: finding.UpdatedAt };
    const delivery = await deliver(model, real, event);
    expect(delivery.responses[0]?.outcome, 'a NEW finding with a forged note').toMatch(/^(contained|duplicate)$/);
    model.reported = true;
  });

/** "Keystop: contain" chosen on a victim's finding Keystop never asked anyone to approve: refused. */
export const approveVictimFinding = (victim: number) =>
  new Move('approve-victim-finding', `victim ${victim}`, async (model, real) => {
    const { userName, leaked } = real.victims[victim]!;
    const event = securityHub([{ userName, accessKeyId: leaked }], uniqueName('approve'));
    event.id = `${event.id}-action`;
    event['detail-type'] = 'Security Hub Findings - Custom Action';
    event.resources = [`arn:aws:securityhub:us-east-1:${LOCAL_ACCOUNT_ID}:action/custom/KeystopContain`];
    const [finding] = event.detail.findings;
    finding.Types = ['TTPs/Discovery/Discovery:IAMUser-AnomalousBehavior'];
    finding.FindingProviderFields.Types = finding.Types;
    finding.Workflow = { Status: 'NOTIFIED' };
    event.detail = { actionName: 'Keystop: contain', actionDescription: 'Contain with Keystop', findings: [finding] };
    const delivery = await deliver(model, real, event);
    expect(delivery.responses[0], 'an approval nobody was asked for').toMatchObject({ reason: 'approval-refused' });
  });
