import { describe, expect, it } from 'vitest';
import { afterResponseOf } from '../../src/report/document/runbookFor';
import { formatAlert } from '../../src/report/notify/formatAlert';
import { formatChatbotNotification } from '../../src/report/notify/formatChatbotNotification';
import { credentials, incidentAbout, responseTo } from '../support/incidents';

const done = (type: string, reason: string) => ({ type: type as 'revoke-sessions', status: 'done' as const, target: 't', reason });

describe('Honest outcomes: what stays usable and what containment costs', () => {
  it('says that a user whose sessions were denied can mint new ones with its keys and password, in every format', () => {
    const response = responseTo(incidentAbout(credentials['user-session']), {
      actions: [done('revoke-sessions', 'denied sessions of user alice issued before 2026-10-02T08:17:00Z')],
    });

    const alert = formatAlert(response);

    expect(alert.subject).toMatch(/^Keystop SESSIONS DENIED: /);
    expect(alert.document.headline).toContain('access keys and console password can still mint new sessions');
    expect(alert.document.afterResponse!.stillUsable[0]).toMatch(
      /^alice's access keys \(AKIA…\) and console password can mint new sessions/,
    );
    expect(alert.text).toContain("STILL USABLE AFTER THIS\n  - alice's access keys");
    expect(formatChatbotNotification(alert.document).content.description).toContain("*Still usable:* alice's access keys");
  });

  it("states that denying a role's sessions cuts off every workload on it, not only the attacker", () => {
    const response = responseTo(incidentAbout(credentials['role-session']), {
      actions: [done('revoke-sessions', 'denied sessions of role ci-deployer issued before now')],
    });

    const { document, text } = formatAlert(response);

    expect(document.afterResponse!.impact[0]).toMatch(/^every workload and person using ci-deployer loses access now/);
    expect(text).toContain('IMPACT OF THE CONTAINMENT');
    expect(document.nextSteps.join(' ')).not.toContain('keeps running');
  });

  it("says that sessions minted with a deactivated key and the user's other keys still work", () => {
    const response = responseTo(incidentAbout(credentials['long-term-key']), {
      actions: [done('deactivate-access-key', 'deactivated access key AKIAEXAMPLELEAKED001 of user build-bot')],
    });

    const { stillUsable, impact } = afterResponseOf(response);

    expect(stillUsable.join('\n')).toMatch(/sessions already minted with AKIAEXAMPLELEAKED001.*cannot revoke them/);
    expect(stillUsable.join('\n')).toContain("build-bot's other access keys and console password");
    expect(impact).toEqual(['whatever legitimately used AKIAEXAMPLELEAKED001 now fails with InvalidClientTokenId until it gets a new key']);
  });

  it('says the credential works as before when nothing was done, and nothing for samples', () => {
    const held = responseTo(incidentAbout(credentials['long-term-key']), { outcome: 'notified', reason: 'dry-run' });

    expect(afterResponseOf(held)).toEqual({
      stillUsable: ['the credential itself: Keystop changed nothing, it works as before'],
      impact: [],
    });
    expect(afterResponseOf(responseTo(incidentAbout(credentials.root, { sample: true })))).toEqual({ stillUsable: [], impact: [] });
  });
});
