import { describe, expect, it } from 'vitest';
import { type CredentialKind, credentialKinds } from '../../src/domain/CredentialIncident';
import type { AnsweredIncident } from '../../src/domain/IncidentResponse';
import type { ActivitySummary } from '../../src/report/activity/ActivityReport';
import { AlertDocument } from '../../src/report/document/AlertDocument';
import { formatActivityAlert, formatAlert } from '../../src/report/notify/formatAlert';
import { formatChatbotNotification } from '../../src/report/notify/formatChatbotNotification';
import { snsMessageOf } from '../../src/report/notify/snsMessageOf';
import { credentials, incidentAbout, responseTo } from '../support/incidents';

const deactivated = {
  type: 'deactivate-access-key' as const,
  status: 'done' as const,
  target: 'AKIAEXAMPLELEAKED001',
  reason: 'deactivated access key AKIAEXAMPLELEAKED001 of user build-bot',
};

const activity: ActivitySummary = {
  status: 'complete',
  accessKeyId: 'AKIAEXAMPLELEAKED001',
  window: { from: '2026-10-01T08:20:00.000Z', to: '2026-10-02T08:20:00.000Z' },
  regions: ['eu-west-1', 'us-east-1'],
  regionErrors: [],
  pagesRead: 3,
  eventCount: 7,
  firstSeen: '2026-10-02T08:14:03.000Z',
  lastSeen: '2026-10-02T08:16:45.000Z',
  calls: [
    { name: 'sts:GetCallerIdentity', count: 3 },
    { name: 'iam:CreateUser', count: 1 },
    { name: 'iam:CreateAccessKey', count: 1 },
    { name: 'iam:AttachUserPolicy', count: 1 },
    { name: 'iam:ListUsers', count: 1 },
  ],
  sourceIps: [{ ip: '192.0.2.77', count: 7 }],
  notable: [
    {
      time: '2026-10-02T08:15:10.000Z',
      name: 'iam:CreateUser',
      region: 'us-east-1',
      sourceIp: '192.0.2.77',
      target: 'userName=backup-admin',
    },
    {
      time: '2026-10-02T08:15:30.000Z',
      name: 'iam:AttachUserPolicy',
      region: 'us-east-1',
      sourceIp: '192.0.2.77',
      errorCode: 'AccessDenied',
      target: 'userName=backup-admin',
    },
  ],
};

describe('Alert text for email: what a responder reads first', () => {
  it('says, for a contained long-term key, what happened, whose key, from where, what was done, what the key did, and what to do next', () => {
    const alert = formatAlert(responseTo(incidentAbout(credentials['long-term-key']), { actions: [deactivated] }), activity);

    expect(alert.subject).toBe('Keystop CONTAINED: AKIAEXAMPLELEAKED001 (build-bot) in 111122223333 - TorIPCaller');
    expect(
      alert.text,
    ).toBe(`Keystop CONTAINED: AKIAEXAMPLELEAKED001 (build-bot): deactivated access key AKIAEXAMPLELEAKED001 of user build-bot.

WHAT HAPPENED
  UnauthorizedAccess:IAMUser/TorIPCaller (severity 5, MEDIUM), reported by Amazon GuardDuty
  API GetCallerIdentity was invoked from a Tor exit node IP address.
  Observed: 2026-10-02T08:16:45Z

CREDENTIAL
  Kind:       long-term access key of an IAM user
  Access key: AKIAEXAMPLELEAKED001
  User:       build-bot
  Account:    111122223333
  Region:     eu-west-1

ATTACKER
  Source IP:  192.0.2.77 (Netherlands, Amsterdam, Documentation Tor Relay AS)
  API call:   sts.amazonaws.com GetCallerIdentity
  User agent: aws-cli/2.15.0 Python/3.11.6 Linux/6.1

WHAT KEYSTOP DID (policy guardduty-key-used-by-attacker; reason: matched)
  GuardDuty saw the credential used from a Tor address: the key is in someone else's hands. Contain it.
  [done] deactivate-access-key AKIAEXAMPLELEAKED001: deactivated access key AKIAEXAMPLELEAKED001 of user build-bot

STILL USABLE AFTER THIS
  - sessions already minted with AKIAEXAMPLELEAKED001 (GetSessionToken up to 36 h, AssumeRole up to 12 h) until they expire: STS cannot revoke them, and build-bot's sessions were not denied
  - build-bot's other access keys and console password, if any: Keystop touched only AKIAEXAMPLELEAKED001
  - anything the key created before it was stopped (new users, keys, login profiles, roles it could assume)

IMPACT OF THE CONTAINMENT
  - whatever legitimately used AKIAEXAMPLELEAKED001 now fails with InvalidClientTokenId until it gets a new key

WHAT THE KEY DID (CloudTrail event history, 2026-10-01T08:20:00.000Z to 2026-10-02T08:20:00.000Z, eu-west-1, us-east-1)
  7 events, first 2026-10-02T08:14:03.000Z, last 2026-10-02T08:16:45.000Z
  From: 192.0.2.77 (7)
  Calls: sts:GetCallerIdentity 3, iam:CreateUser 1, iam:CreateAccessKey 1, iam:AttachUserPolicy 1, iam:ListUsers 1
  Calls that matter most:
    2026-10-02T08:15:10.000Z iam:CreateUser userName=backup-admin from 192.0.2.77 in us-east-1
    2026-10-02T08:15:30.000Z iam:AttachUserPolicy userName=backup-admin (refused: AccessDenied) from 192.0.2.77 in us-east-1

NEXT STEPS (runbook: long-term-key)
  1. The key is Inactive, not deleted. If this was a false positive, release it (Keystop's tamper guard deactivates a key re-enabled any other way): keystop release --incident guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90 --reason "<why>"
  2. Review what the credential did (WHAT THE KEY DID, or the CloudTrail link): look for new users, access keys, login profiles, policies and roles assumed, and undo them.
  3. Find where the key leaked (code, CI logs, container images, tickets), remove it there, and give the owner a new key.
  4. Delete the inactive key only after the investigation is closed: it is evidence until then.

LINKS (sign in to account 111122223333)
  Principal:  https://console.aws.amazon.com/iam/home#/users/details/build-bot?section=security_credentials
  Finding:    https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=a1b2c3d4e5f60718293a4b5c6d7e8f90
  CloudTrail: https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events?AccessKeyId=AKIAEXAMPLELEAKED001

Incident: guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90
Story:    keystop incidents show guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90`);
  });

  it('tells a responder about root to act by hand, with the root runbook and CloudTrail filtered by root', () => {
    const incident = incidentAbout(credentials.root, {
      type: 'Policy:IAMUser/RootCredentialUsage',
      title: 'API ListBuckets was invoked using root credentials.',
    });
    const alert = formatAlert(
      responseTo(incident, {
        outcome: 'notified',
        reason: 'no-applicable-action',
        policy: 'guardduty-key-used-by-attacker',
        actions: [{ type: 'deactivate-access-key', status: 'skipped', target: 'none', reason: 'cannot act on a root' }],
      }),
      { status: 'not-applicable', reason: 'the report names no access key to look up (use the CloudTrail link by user name)' },
    );

    expect(alert.subject).toBe('Keystop ACTION NEEDED: ROOT in 111122223333 - RootCredentialUsage');
    expect(alert.text.split('\n')[0]).toBe(
      'Keystop ACTION NEEDED: ROOT was reported, but no containment action applies to a root; nothing was changed. Act by hand (see NEXT STEPS).',
    );
    expect(alert.text).toContain(`NEXT STEPS (runbook: root)
  1. Sign in as root with MFA now, change the root password, and delete any root access keys (root should have none).
  2. Check for new IAM users, access keys, roles and policies, and for changes to the account contact and billing details.
  3. If you cannot sign in as root, open an AWS Support case for account recovery at once.`);
    expect(alert.text).toContain(
      '  CloudTrail: https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events?Username=root',
    );
    expect(alert.text).not.toContain('Principal:');
  });
});

/** The first line of the text (the headline) and the first runbook step, for each kind of credential. */
const firstStepByKind: Record<CredentialKind, { notContained: RegExp; principalLink?: string }> = {
  'long-term-key': {
    notContained:
      /^Deactivate the key now: aws iam update-access-key --user-name build-bot --access-key-id AKIAEXAMPLELEAKED001 --status Inactive$/,
    principalLink: 'users/details/build-bot',
  },
  'user-session': {
    notContained: /^Cut off the session: attach to user alice an inline policy that denies "\*" when aws:TokenIssueTime/,
    principalLink: 'users/details/alice',
  },
  'role-session': {
    notContained: /^Revoke the role's sessions: IAM console, role ci-deployer, "Revoke active sessions"/,
    principalLink: 'roles/details/ci-deployer',
  },
  'federated-session': {
    notContained: /^A federated session cannot be revoked by itself: find the IAM user whose key called GetFederationToken for partner-sso/,
  },
  'iam-user': {
    notContained: /^The report names the user, not a key: list its keys .*aws iam list-access-keys --user-name legacy-app/,
    principalLink: 'users/details/legacy-app',
  },
  root: { notContained: /^Sign in as root with MFA now/ },
  unmapped: {
    notContained:
      /^AWS reported a compromise \(UnauthorizedAccess:IAMUser\/TorIPCaller\) but Keystop could not tell which credential it is about\. The report names: "ACCESS_KEY_ID_HERE"\.$/,
  },
};

describe('Alert for every kind of credential', () => {
  it.each(credentialKinds)('gives a %s its own runbook, its console links and a document that matches the published schema', (kind) => {
    const incident = incidentAbout(credentials[kind]);
    const alert = formatAlert(
      responseTo(incident, { outcome: 'notified', reason: 'notify-only-policy', policy: 'guardduty-other-iam-findings' }),
    );

    expect(AlertDocument.parse(alert.document)).toEqual(alert.document);
    expect(alert.document.credential?.kind).toBe(kind);
    expect(alert.document.nextSteps[0]).toMatch(firstStepByKind[kind].notContained);
    expect(alert.text).toContain(`NEXT STEPS (runbook: ${kind})\n  1. ${alert.document.nextSteps[0]}`);
    if (firstStepByKind[kind].principalLink) expect(alert.document.links.principal).toContain(firstStepByKind[kind].principalLink);
    else expect(alert.document.links.principal).toBeUndefined();
    expect(alert.document.links.finding).toContain('fId=a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(alert.attributes).toEqual({
      outcome: 'notified',
      severity: 'MEDIUM',
      account: '111122223333',
      source: 'guardduty',
      credentialKind: kind,
      alertType: 'response',
    });
    expect(alert.subject).toMatch(/^Keystop ACTION NEEDED: [\x20-\x7e]{1,78}$/);
  });

  it('gives a sample finding no runbook beyond "nothing to do", whatever the credential', () => {
    const alert = formatAlert(
      responseTo(incidentAbout(credentials['long-term-key'], { sample: true }), { outcome: 'notified', reason: 'sample-finding' }),
    );

    expect(alert.subject).toMatch(/^Keystop SAMPLE: /);
    expect(alert.document.nextSteps).toEqual([
      'Nothing to do: GuardDuty generated this sample finding (CreateSampleFindings); no credential is at risk.',
    ]);
    expect(alert.text).toContain('(SAMPLE finding)');
  });
});

describe('Alert for every outcome', () => {
  const key = incidentAbout(credentials['long-term-key']);
  const skipped = (reason: string) => ({
    type: 'deactivate-access-key' as const,
    status: 'skipped' as const,
    target: 'AKIAEXAMPLELEAKED001',
    reason,
  });
  const cases: { name: string; response: AnsweredIncident; subject: RegExp; headline: string; firstStep: RegExp }[] = [
    {
      name: 'contained',
      response: responseTo(key, { actions: [deactivated] }),
      subject: /^Keystop CONTAINED: AKIAEXAMPLELEAKED001 \(build-bot\)/,
      headline: 'Keystop CONTAINED: AKIAEXAMPLELEAKED001 (build-bot): deactivated access key AKIAEXAMPLELEAKED001 of user build-bot.',
      firstStep:
        /^The key is Inactive, not deleted\. If this was a false positive, release it .*: keystop release --incident \S+ --reason "<why>"$/,
    },
    {
      name: 'notify-only',
      response: responseTo(key, {
        outcome: 'notified',
        reason: 'notify-only-policy',
        policy: 'guardduty-other-iam-findings',
        explanation: 'policy "guardduty-other-iam-findings" only alerts: every other GuardDuty IAM finding',
      }),
      subject: /^Keystop ACTION NEEDED: /,
      headline:
        'Keystop ACTION NEEDED: AKIAEXAMPLELEAKED001 (build-bot) was reported under an alert-only policy; nothing was changed. Decide by hand (see NEXT STEPS).',
      firstStep: /^Deactivate the key now: .* --status Inactive$/,
    },
    {
      name: 'exempt',
      response: responseTo(key, {
        outcome: 'notified',
        reason: 'exempt-principal',
        explanation: 'the principal is exempt from automatic containment (matches "build-*")',
        actions: [skipped('exempt-principal: would deactivate access key AKIAEXAMPLELEAKED001')],
      }),
      subject: /^Keystop EXEMPT: /,
      headline:
        'Keystop EXEMPT: AKIAEXAMPLELEAKED001 (build-bot) belongs to a principal exempt from automatic containment; nothing was changed. Decide by hand (see NEXT STEPS).',
      firstStep: /^Deactivate the key now: /,
    },
    {
      name: 'dry-run',
      response: responseTo(key, {
        outcome: 'notified',
        reason: 'dry-run',
        explanation: 'Keystop runs in dry-run mode: nothing was changed; the actions below are what would have been done',
        actions: [skipped('dry-run: would deactivate access key AKIAEXAMPLELEAKED001')],
      }),
      subject: /^Keystop DRY RUN: /,
      headline:
        'Keystop DRY RUN: AKIAEXAMPLELEAKED001 (build-bot) was NOT contained because Keystop runs in dry-run; the actions below are what it would have done.',
      firstStep: /^Deactivate the key now: /,
    },
    {
      name: 'failed',
      response: responseTo(key, {
        outcome: 'failed',
        reason: 'containment-failed',
        explanation: 'a containment step failed; GuardDuty saw the credential used from a Tor address',
        actions: [
          {
            type: 'deactivate-access-key',
            status: 'failed',
            target: 'AKIAEXAMPLELEAKED001',
            reason: 'NoSuchEntityException: The Access Key with id AKIAEXAMPLELEAKED001 cannot be found.',
          },
        ],
      }),
      subject: /^Keystop containment FAILED: AKIAEXAMPLELEAKED001/,
      headline: 'Keystop containment FAILED: AKIAEXAMPLELEAKED001 (build-bot) could NOT be contained. Act by hand now (see NEXT STEPS).',
      firstStep:
        /^Deactivate the key now: aws iam update-access-key --user-name build-bot --access-key-id AKIAEXAMPLELEAKED001 --status Inactive$/,
    },
    {
      name: 'key-re-enabled',
      response: responseTo(key, {
        outcome: 'contained',
        reason: 'key-re-enabled',
        explanation: 'the key was found Active again after Keystop had deactivated it, so it was contained again',
        actions: [deactivated],
      }),
      subject: /^Keystop RE-CONTAINED: AKIAEXAMPLELEAKED001 \(build-bot\)/,
      headline:
        'Keystop RE-CONTAINED: AKIAEXAMPLELEAKED001 (build-bot) had been contained by Keystop and was found Active again (someone re-enabled it): contained again (deactivated access key AKIAEXAMPLELEAKED001 of user build-bot). Find out who re-enabled it (see NEXT STEPS).',
      firstStep: /^The key is Inactive, not deleted\./,
    },
    {
      name: 'escalated',
      response: responseTo(key, {
        outcome: 'contained',
        reason: 'escalated',
        explanation: 'an earlier report was only alerted on; this one calls for containment',
        actions: [deactivated],
      }),
      subject: /^Keystop CONTAINED \(escalated\): AKIAEXAMPLELEAKED001/,
      headline:
        'Keystop CONTAINED (escalated): AKIAEXAMPLELEAKED001 (build-bot) was only alerted on (or held) before; a stronger report calls for containment: deactivated access key AKIAEXAMPLELEAKED001 of user build-bot.',
      firstStep: /^The key is Inactive, not deleted\./,
    },
    {
      name: 'gone',
      response: responseTo(key, {
        outcome: 'gone',
        reason: 'credential-gone',
        explanation: 'IAM does not know access key AKIAEXAMPLELEAKED001 (deleted): nothing is left to contain',
        actions: [
          { type: 'deactivate-access-key', status: 'failed', target: 'AKIAEXAMPLELEAKED001', reason: 'NoSuchEntityException: not found' },
        ],
      }),
      subject: /^Keystop GONE: AKIAEXAMPLELEAKED001/,
      headline:
        'Keystop GONE: AKIAEXAMPLELEAKED001 (build-bot) no longer exists in IAM (deleted before Keystop acted): nothing is left to contain. Check who deleted it and what it did (see NEXT STEPS).',
      firstStep: /^Deactivate the key now: /,
    },
    {
      name: 'access-denied',
      response: responseTo(key, {
        outcome: 'failed',
        reason: 'access-denied',
        explanation: 'IAM refused a containment step (AccessDenied: explicit deny in a service control policy)',
        actions: [
          { type: 'deactivate-access-key', status: 'failed', target: 'AKIAEXAMPLELEAKED001', reason: 'AccessDenied: explicit deny' },
        ],
      }),
      subject: /^Keystop containment REFUSED by IAM: AKIAEXAMPLELEAKED001/,
      headline:
        'Keystop containment REFUSED by IAM: AKIAEXAMPLELEAKED001 (build-bot) could NOT be contained: IAM refused (IAM refused a containment step (AccessDenied: explicit deny in a service control policy)). Retrying cannot help; act by hand now (see NEXT STEPS).',
      firstStep: /^Deactivate the key now: /,
    },
    {
      name: 'held by the breaker',
      response: responseTo(key, {
        outcome: 'notified',
        reason: 'breaker-open',
        explanation: 'the blast-radius breaker is open',
        actions: [
          {
            type: 'deactivate-access-key',
            status: 'skipped',
            target: 'AKIAEXAMPLELEAKED001',
            reason: 'breaker-open: would deactivate access key AKIAEXAMPLELEAKED001',
          },
        ],
      }),
      subject: /^Keystop HELD by the breaker: AKIAEXAMPLELEAKED001/,
      headline:
        'Keystop HELD by the breaker: AKIAEXAMPLELEAKED001 (build-bot) was NOT contained: the blast-radius breaker of account 111122223333 is open. Check the other containments, then run `keystop breaker reset --contain-held` to contain it (see NEXT STEPS).',
      firstStep: /^The blast-radius breaker held this containment\. .*keystop breaker reset --account 111122223333 --contain-held$/,
    },
  ];

  it.each(cases)(
    '$name: the subject, the first line and the first next step say it plainly',
    ({ response, subject, headline, firstStep }) => {
      const alert = formatAlert(response);

      expect(alert.subject).toMatch(subject);
      expect(alert.subject.length).toBeLessThanOrEqual(100);
      expect(alert.text.split('\n')[0]).toBe(headline);
      expect(alert.document.headline).toBe(headline);
      expect(alert.document.nextSteps[0]).toMatch(firstStep);
      expect(alert.document.response).toMatchObject({ outcome: response.outcome, reason: response.reason });
      expect(alert.text).toContain(`WHAT KEYSTOP DID (policy ${response.policy}; reason: ${response.reason})\n  ${response.explanation}`);
      for (const action of response.actions)
        expect(alert.text).toContain(`  [${action.status}] ${action.type} ${action.target}: ${action.reason}`);
      expect(AlertDocument.safeParse(alert.document).success).toBe(true);
    },
  );

  it('writes no alert for a duplicate or an ignored response: those are answered without one', () => {
    const duplicate = responseTo(key, { outcome: 'duplicate', reason: 'duplicate-report', explanation: 'already contained' });
    const ignored = responseTo(key, { outcome: 'ignored', reason: 'not-guarded', explanation: 'nothing to do' });

    expect(() => formatAlert(duplicate)).toThrow('Keystop sends no alert for the outcome duplicate (duplicate-report)');
    expect(() => formatAlert(ignored)).toThrow('Keystop sends no alert for the outcome ignored (not-guarded)');
  });
});

describe('The JSON document for queues, functions and webhooks', () => {
  it('carries every fact of the text as a field, versioned', () => {
    const { document } = formatAlert(
      responseTo(incidentAbout(credentials['role-session']), { outcome: 'notified', reason: 'matched' }),
      activity,
    );

    expect(document).toEqual({
      schema: 'keystop.alert',
      version: '1.1',
      alertType: 'response',
      subject: 'Keystop ACTION NEEDED: ASIAEXAMPLEROLESES01 (role ci-deployer) in 111122223333 - TorIPCaller',
      headline:
        'Keystop ACTION NEEDED: ASIAEXAMPLEROLESES01 (role ci-deployer) was reported, but no containment action of policy guardduty-key-used-by-attacker applies to a role-session; nothing was changed. Act by hand (see NEXT STEPS).',
      incident: {
        id: 'guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90',
        source: 'guardduty',
        type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
        title: 'API GetCallerIdentity was invoked from a Tor exit node IP address.',
        severity: 5,
        severityLabel: 'MEDIUM',
        accountId: '111122223333',
        region: 'eu-west-1',
        observedAt: '2026-10-02T08:16:45Z',
        sample: false,
        findingId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        findingArn: 'arn:aws:guardduty:eu-west-1:111122223333:detector/0f1e/finding/a1b2c3d4e5f60718293a4b5c6d7e8f90',
      },
      credential: {
        kind: 'role-session',
        description: 'temporary session of an IAM role',
        accessKeyId: 'ASIAEXAMPLEROLESES01',
        roleName: 'ci-deployer',
        sessionName: 'i-0abc123',
        principalArn: 'arn:aws:iam::111122223333:role/ci-deployer',
      },
      attacker: {
        sourceIp: '192.0.2.77',
        country: 'Netherlands',
        city: 'Amsterdam',
        asnOrg: 'Documentation Tor Relay AS',
        api: 'sts.amazonaws.com GetCallerIdentity',
        userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
      },
      response: {
        outcome: 'notified',
        reason: 'matched',
        explanation: "GuardDuty saw the credential used from a Tor address: the key is in someone else's hands. Contain it.",
        policy: 'guardduty-key-used-by-attacker',
        actions: [],
      },
      nextSteps: [
        `Revoke the role's sessions: IAM console, role ci-deployer, "Revoke active sessions" (an inline deny on aws:TokenIssueTime). Every current session of the role stops working, the workload's too, until it obtains credentials issued after the cut-off.`,
        'Find how the credentials left their workload (instance metadata without IMDSv2, SSRF, logs, environment dumps) and close that path.',
        'Review what the credential did (WHAT THE KEY DID, or the CloudTrail link): look for new users, access keys, login profiles, policies and roles assumed, and undo them.',
      ],
      afterResponse: { stillUsable: ['the credential itself: Keystop changed nothing, it works as before'], impact: [] },
      links: {
        principal: 'https://console.aws.amazon.com/iam/home#/roles/details/ci-deployer?section=permissions',
        finding:
          'https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=a1b2c3d4e5f60718293a4b5c6d7e8f90',
        cloudTrail: 'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events?AccessKeyId=ASIAEXAMPLEROLESES01',
      },
      activity,
    });
  });

  it('makes the follow-up with what the key did stand on its own: who, where, and the activity, without repeating the actions', () => {
    const alert = formatActivityAlert(responseTo(incidentAbout(credentials['long-term-key']), { actions: [deactivated] }), activity);

    expect(alert.subject).toBe('Keystop ACTIVITY: AKIAEXAMPLELEAKED001 (build-bot) in 111122223333 - 7 events, 2 notable');
    expect(alert.attributes).toMatchObject({ alertType: 'activity', outcome: 'contained' });
    expect(alert.document.alertType).toBe('activity');
    expect(alert.text.split('\n')[0]).toBe(
      'Keystop ACTIVITY: what AKIAEXAMPLELEAKED001 (build-bot) did, follow-up to the alert about UnauthorizedAccess:IAMUser/TorIPCaller (contained): 7 CloudTrail events, 2 that matter.',
    );
    expect(alert.text).toContain('iam:CreateUser userName=backup-admin from 192.0.2.77 in us-east-1');
    expect(alert.text).not.toContain('WHAT KEYSTOP DID');
  });

  it('says plainly when the lookup stopped early, and where it failed', () => {
    const partial: ActivitySummary = {
      ...activity,
      status: 'partial',
      stoppedBy: 'page-cap',
      pagesRead: 10,
      regionErrors: [{ region: 'us-east-1', error: 'ThrottlingException: Rate exceeded' }],
    };

    const { text } = formatAlert(responseTo(incidentAbout(credentials['long-term-key']), { actions: [deactivated] }), partial);

    expect(text).toContain(
      '  PARTIAL: the lookup stopped at its page cap after 10 pages; there may be more. Use the CloudTrail link for the rest.',
    );
    expect(text).toContain('  Lookup failed in us-east-1: ThrottlingException: Rate exceeded');
  });
});

describe('Per-protocol bodies of one SNS publish', () => {
  const alert = formatAlert(responseTo(incidentAbout(credentials['long-term-key']), { actions: [deactivated] }), activity);

  it('gives email the text and queues, functions, webhooks and Firehose the JSON document', () => {
    const input = snsMessageOf(alert, { chatbot: false });

    expect(input.MessageStructure).toBe('json');
    expect(input.Subject).toBe(alert.subject);
    const bodies = JSON.parse(input.Message);
    expect(Object.keys(bodies).sort()).toEqual(['default', 'email', 'firehose', 'http', 'https', 'lambda', 'sqs']);
    expect(bodies.default).toBe(alert.text);
    expect(bodies.email).toBe(alert.text);
    for (const protocol of ['sqs', 'lambda', 'http', 'https', 'firehose']) expect(JSON.parse(bodies[protocol])).toEqual(alert.document);
    expect(input.MessageAttributes.severity).toEqual({ DataType: 'String', StringValue: 'MEDIUM' });
  });

  it('with the Chatbot switch on, gives https subscribers (AWS Chatbot) a custom notification Slack and Teams render', () => {
    const bodies = JSON.parse(snsMessageOf(alert, { chatbot: true }).Message);
    const chat = JSON.parse(bodies.https);

    expect(JSON.parse(bodies.sqs)).toEqual(alert.document);
    expect(chat).toEqual(formatChatbotNotification(alert.document));
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: alert.document.headline,
        nextSteps: alert.document.nextSteps,
        keywords: ['contained', 'MEDIUM', 'long-term-key'],
      },
      metadata: { threadId: 'guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90', summary: alert.subject },
    });
    expect(chat.content.description.split('\n')).toEqual([
      '*Credential:* `AKIAEXAMPLELEAKED001` (long-term access key of an IAM user) of user `build-bot` in account `111122223333`, `eu-west-1`',
      '*Finding:* `UnauthorizedAccess:IAMUser/TorIPCaller` (severity 5 MEDIUM)',
      '*Attacker:* from `192.0.2.77` `Netherlands, Amsterdam, Documentation Tor Relay AS` calling `sts.amazonaws.com GetCallerIdentity` with `aws-cli/2.15.0 Python/3.11.6 Linux/6.1`',
      '*Keystop:* `contained` (`matched`, policy `guardduty-key-used-by-attacker`)',
      '• done `deactivate-access-key` `AKIAEXAMPLELEAKED001`: `deactivated access key AKIAEXAMPLELEAKED001 of user build-bot`',
      "*Still usable:* sessions already minted with AKIAEXAMPLELEAKED001 (GetSessionToken up to 36 h, AssumeRole up to 12 h) until they expire: STS cannot revoke them, and build-bot's sessions were not denied; build-bot's other access keys and console password, if any: Keystop touched only AKIAEXAMPLELEAKED001; anything the key created before it was stopped (new users, keys, login profiles, roles it could assume)",
      '*Impact:* whatever legitimately used AKIAEXAMPLELEAKED001 now fails with InvalidClientTokenId until it gets a new key',
      '*What the key did:* 7 events: `sts:GetCallerIdentity` 3, `iam:CreateUser` 1, `iam:CreateAccessKey` 1, `iam:AttachUserPolicy` 1, `iam:ListUsers` 1',
      '• `2026-10-02T08:15:10.000Z` `iam:CreateUser` `userName=backup-admin`',
      '• `2026-10-02T08:15:30.000Z` `iam:AttachUserPolicy` `userName=backup-admin`',
      `[IAM principal](${alert.document.links.principal}) · [Finding](${alert.document.links.finding}) · [CloudTrail by key](${alert.document.links.cloudTrail})`,
    ]);
  });
});
