import type { ResponsePolicy } from './ResponsePolicy';

/**
 * The policies Keystop ships with. Order matters: the first match decides. The README explains each choice.
 */
export const defaultPolicies: ResponsePolicy[] = [
  {
    name: 'guardduty-key-used-by-attacker',
    description:
      'GuardDuty saw the credential used from a known-malicious or Tor address, from a pentest distribution, or ' +
      'outside the instance it was issued to: the key is in someone else\'s hands. Contain it.',
    match: {
      source: ['guardduty'],
      type: [
        { prefix: 'UnauthorizedAccess:IAMUser/' },
        { prefix: 'Recon:IAMUser/' },
        { prefix: 'PenTest:IAMUser/' },
      ],
    },
    mode: 'contain',
    actions: [{ type: 'deactivate-access-key' }],
  },
  {
    name: 'guardduty-anomalous-behavior-high',
    description:
      'GuardDuty\'s machine-learning findings (…:IAMUser/AnomalousBehavior) at HIGH severity or above: unusual API ' +
      'use that matches an attack pattern. Contain; lower severities only alert, as they include legitimate change.',
    match: {
      source: ['guardduty'],
      type: [
        { prefix: 'CredentialAccess:IAMUser/' },
        { prefix: 'DefenseEvasion:IAMUser/' },
        { prefix: 'Discovery:IAMUser/' },
        { prefix: 'Exfiltration:IAMUser/' },
        { prefix: 'Impact:IAMUser/' },
        { prefix: 'InitialAccess:IAMUser/' },
        { prefix: 'Persistence:IAMUser/' },
        { prefix: 'PrivilegeEscalation:IAMUser/' },
      ],
      severity: [{ numeric: ['>=', 7] }],
    },
    mode: 'contain',
    actions: [{ type: 'deactivate-access-key' }],
  },
  {
    name: 'guardduty-other-iam-findings',
    description:
      'Every other GuardDuty IAM finding (Stealth, Policy, lower-severity anomalies, root usage): alert a responder ' +
      'with the evidence, change nothing. These are as often an administrator as an attacker.',
    match: { source: ['guardduty'] },
    mode: 'notify-only',
    actions: [],
  },
];
