import { describe, expect, it } from 'vitest';
import type { AdaptedEvent } from '../../src/domain/AdaptedEvent';
import { approvedIncident } from '../../src/sources/approvedIncident';
import { fromSecurityHub } from '../../src/sources/fromSecurityHub';
import { fromSecurityHubAction } from '../../src/sources/fromSecurityHubAction';
import { SecurityHubCustomActionEvent, SecurityHubFindingsEvent } from '../../src/sources/SecurityHubFindingsEvent';
import { securityHubApprovalSource } from '../../src/sources/securityHubSource';
import { loadFixture } from '../support/loadFixture';

const KEYSTOP_TARGET = 'arn:aws:securityhub:eu-west-1:111122223333:action/custom/KeystopContain';
const incidentsOf = (adapted: AdaptedEvent) => (adapted.kind === 'incidents' ? adapted.incidents : []);

/** Security Hub's custom-action event for the findings of an import (our fixture), chosen on `resources`. */
function chosen(resources: string[] | undefined, change: (event: Record<string, any>) => void = () => {}) {
  const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
  event['detail-type'] = 'Security Hub Findings - Custom Action';
  event.resources = resources;
  event.detail.actionName = 'Keystop: contain';
  change(event);
  return SecurityHubCustomActionEvent.parse(event);
}

describe('Adapter: the "Keystop: contain" custom action → approved incidents', () => {
  it("approves each credential finding chosen: the import's incident (same id), source approved, the title saying where to look for who", () => {
    const event = chosen([KEYSTOP_TARGET]);
    const imported = incidentsOf(
      fromSecurityHub(SecurityHubFindingsEvent.parse({ ...event, 'detail-type': 'Security Hub Findings - Imported' })),
    );

    const approved = incidentsOf(fromSecurityHubAction(event));

    expect(approved).toHaveLength(2);
    expect(approved).toEqual(
      imported.map((incident) => ({
        ...incident,
        source: 'approved',
        title:
          `Approved by a responder in Security Hub (custom action "Keystop: contain" at ${event.time}; the event does not name who: ` +
          'look for securityhub.amazonaws.com SendFindingEvents in CloudTrail at that minute, recorded only where a trail ' +
          `keeps read events, if at all): ${incident.title}`,
      })),
    );
  });

  it("is a person's decision: a finding already handled, archived or noted is approved all the same, and not read as a customer's edit", () => {
    const event = chosen([KEYSTOP_TARGET], (e) => {
      for (const finding of e.detail.findings) {
        finding.Workflow = { Status: 'NOTIFIED' };
        finding.WorkflowState = 'RESOLVED';
        finding.RecordState = 'ARCHIVED';
        finding.Note = { Text: 'seen', UpdatedBy: 'someone', UpdatedAt: e.time };
      }
    });

    const approved = incidentsOf(fromSecurityHubAction(event));

    expect(approved.map((i) => i.source)).toEqual(['approved', 'approved']);
    expect(approved.map((i) => 'updatedByCustomer' in i)).toEqual([false, false]);
  });

  it('finds Keystop\'s target among several, and says "Keystop: contain" when the event names no action', () => {
    const event = chosen(['arn:aws:securityhub:eu-west-1:111122223333:action/custom/Other', KEYSTOP_TARGET], (e) => {
      delete e.detail.actionName;
    });

    expect(incidentsOf(fromSecurityHubAction(event)).map((i) => i.title)).toEqual([
      expect.stringMatching(/^Approved by a responder in Security Hub \(custom action "Keystop: contain" at /),
      expect.stringMatching(/^Approved by a responder in Security Hub \(custom action "Keystop: contain" at /),
    ]);
  });

  it("ignores another tool's custom action on the same hub, naming it and its target (the real Cloud Custodian event)", () => {
    const custodian = SecurityHubCustomActionEvent.parse(loadFixture('real/c7n-securityhub-custom-action-iam-key.json'));

    expect(fromSecurityHubAction(custodian)).toEqual({
      kind: 'ignored',
      reason: 'not-a-credential-finding',
      detail:
        'custom action Ec2 aws (arn:aws:securityhub:us-east-1:644160558196:action/custom/aws) is not Keystop\'s "Keystop: contain": ' +
        'no Keystop handler acts on it',
    });
  });

  it("ignores an action whose target only starts like Keystop's, or that names no target or no action", () => {
    const lookalike = chosen([`${KEYSTOP_TARGET}Later`, 'arn:aws:securityhub:eu-west-1:111122223333:action/custom/Other']);
    const untargeted = chosen(undefined, (e) => {
      delete e.detail.actionName;
    });

    expect(fromSecurityHubAction(lookalike)).toEqual({
      kind: 'ignored',
      reason: 'not-a-credential-finding',
      detail:
        `custom action Keystop: contain (${KEYSTOP_TARGET}Later, arn:aws:securityhub:eu-west-1:111122223333:action/custom/Other) ` +
        'is not Keystop\'s "Keystop: contain": no Keystop handler acts on it',
    });
    expect(fromSecurityHubAction(untargeted)).toEqual({
      kind: 'ignored',
      reason: 'not-a-credential-finding',
      detail: 'custom action (unnamed) (no target) is not Keystop\'s "Keystop: contain": no Keystop handler acts on it',
    });
  });

  it("approves nothing a responder chose that is not a GuardDuty credential finding: the import's reason", () => {
    const event = chosen([KEYSTOP_TARGET], (e) => {
      for (const finding of e.detail.findings) finding.ProductArn = 'arn:aws:securityhub:eu-west-1::product/aws/inspector';
    });

    expect(fromSecurityHubAction(event)).toMatchObject({ kind: 'ignored', reason: 'not-a-guardduty-finding' });
  });

  it('is the source the approval function routes the custom action to', () => {
    const event = loadFixture('real/c7n-securityhub-custom-action-iam-key.json');

    expect(securityHubApprovalSource.name).toBe('Security Hub custom action');
    expect(securityHubApprovalSource.recognizes(event)).toBe(true);
    expect(securityHubApprovalSource.adapt(securityHubApprovalSource.schema.parse(event))).toMatchObject({ kind: 'ignored' });
  });
});

describe('approvedIncident', () => {
  it('keeps the credential and the id (one record, one thread of alerts) and says who approved it', () => {
    const [incident] = incidentsOf(
      fromSecurityHub(SecurityHubFindingsEvent.parse(loadFixture('security-hub/two-new-guardduty-key-findings.json'))),
    );

    expect(approvedIncident(incident!, 'jane')).toEqual({ ...incident, source: 'approved', title: `Approved by jane: ${incident!.title}` });
  });
});
