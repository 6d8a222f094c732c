import { describe, expect, it } from 'vitest';
import { readEvents } from '../../src/cli/input/readEvents';
import { runSandbox, type SandboxReport } from '../../src/cli/sandbox/runSandbox';
import type { PrincipalState } from '../../src/local/CredentialSeeder';
import { fixturePath } from '../support/loadFixture';
import { awsEndpoint } from '../support/localAws';

/**
 * Real events published by others (test/fixtures/real/PROVENANCE.md says where each comes from and why it ends as it
 * does), each read as the CLI reads a file and run through the sandbox, alone, on the shared emulator.
 */
interface RealCase {
  file: string;
  /** How the CLI unwrapped what the file holds; undefined: the file is an EventBridge event. */
  unwrapped?: RegExp;
  outcome: SandboxReport['outcome'];
  reason: string;
  policy: string | null;
  kind: string | null;
  /** The alerts a subscriber gets, by alertType. */
  alerts: string[];
  /** What the event changed in IAM: "<principal>: <key> Active → Inactive", "<principal>: +<inline policy>". */
  changed: string[];
  /** Text the alert must quote (an unmapped signal's raw entity, a failure's field). */
  quotes?: string;
}

const cases: RealCase[] = [
  // GuardDuty
  {
    file: 'c7n-guardduty-iamuser-tor-sample.json',
    outcome: 'notified',
    reason: 'sample-finding',
    policy: 'guardduty-key-used-by-attacker',
    kind: 'long-term-key',
    alerts: ['response'],
    changed: [],
  },
  {
    file: 'c7n-guardduty-ec2-backdoor.json',
    outcome: 'ignored',
    reason: 'not-a-credential-finding',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  {
    file: 'gd-automated-response-recon-maliciousipcaller-custom-sample.json',
    unwrapped: /^wrapped a bare GuardDuty finding in its EventBridge envelope$/,
    outcome: 'notified',
    reason: 'sample-finding',
    policy: 'guardduty-key-used-by-attacker',
    kind: 'long-term-key',
    alerts: ['response'],
    changed: [],
  },
  {
    file: 'gd-automated-response-pentest-s3-sample.json',
    unwrapped: /^wrapped a bare GuardDuty finding/,
    outcome: 'ignored',
    reason: 'not-a-credential-finding',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  {
    file: 'aws-cli-guardduty-get-findings-recon-userpermissions.json',
    unwrapped: /^wrapped a GuardDuty finding \(from get-findings output\), its API field names made the event's/,
    outcome: 'notified',
    reason: 'notify-only-policy',
    policy: 'guardduty-other-iam-findings',
    kind: 'user-session',
    alerts: ['response'],
    changed: [],
  },
  {
    file: 'panther-guardduty-attack-sequence-iam-no-actors.json',
    unwrapped: /^wrapped a bare GuardDuty finding/,
    outcome: 'notified',
    reason: 'unmapped-signal',
    policy: null,
    kind: 'unmapped',
    alerts: ['response'],
    changed: [],
    quotes: 'Potential credential compromise of IAMUser/john_doe',
  },
  {
    file: 'panther-guardduty-attack-sequence-s3-sample.json',
    unwrapped: /^wrapped a bare GuardDuty finding/,
    outcome: 'ignored',
    reason: 'not-a-credential-finding',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  {
    file: 'panther-guardduty-privesc-admin-permissions-no-resource.json',
    unwrapped: /^wrapped a bare GuardDuty finding/,
    outcome: 'failed',
    reason: 'malformed-event',
    policy: null,
    kind: null,
    alerts: ['failure'],
    changed: [],
    quotes: 'detail.resource',
  },
  {
    file: 'hmrc-sns-guardduty-s3-block-public-access-role-session.json',
    unwrapped: /^took the message out of an SNS notification$/,
    outcome: 'notified',
    reason: 'notify-only-policy',
    policy: 'guardduty-other-iam-findings',
    kind: 'role-session',
    alerts: ['response'],
    changed: [],
  },
  // Security Hub
  {
    file: 'c7n-securityhub-custom-action-iam-key.json',
    outcome: 'ignored',
    reason: 'not-a-credential-finding',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  {
    file: 'aws-cli-securityhub-get-findings-pci-control.json',
    unwrapped: /^wrapped a bare Security Hub \(ASFF\) finding \(from get-findings output\)/,
    outcome: 'ignored',
    reason: 'not-a-guardduty-finding',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  // AWS Health
  {
    file: 'aws-health-tools-credentials-exposed-readme.json',
    outcome: 'notified',
    reason: 'unmapped-signal',
    policy: null,
    kind: 'unmapped',
    alerts: ['response'],
    changed: [],
    quotes: '"ACCESS_KEY_ID_HERE"',
  },
  {
    file: 'hmrc-health-credentials-exposed-placeholder.json',
    outcome: 'notified',
    reason: 'unmapped-signal',
    policy: null,
    kind: 'unmapped',
    alerts: ['response'],
    changed: [],
    quotes: '"ACCESS_KEY_ID_HERE"',
  },
  {
    file: 'notify-and-remediate-credentials-exposed-readme.json',
    outcome: 'failed',
    reason: 'malformed-event',
    policy: null,
    kind: null,
    alerts: ['failure'],
    changed: [],
    quotes: 'detail.eventMetadata.accountId: must be a 12-digit AWS account id',
  },
  {
    file: 'hmrc-sns-health-ec2-nontarget.json',
    unwrapped: /^took the message out of an SNS notification$/,
    outcome: 'ignored',
    reason: 'not-a-compromise-signal',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  // CloudTrail
  {
    file: 'panther-cloudtrail-attach-quarantine-v2.json',
    unwrapped: /^wrapped a bare CloudTrail record/,
    outcome: 'notified',
    reason: 'notify-only-policy',
    policy: 'user-named-without-key-alert-only',
    kind: 'iam-user',
    alerts: ['response'],
    changed: [],
  },
  {
    file: 'panther-cloudtrail-put-inline-quarantine-v3.json',
    unwrapped: /^wrapped a bare CloudTrail record/,
    outcome: 'notified',
    reason: 'notify-only-policy',
    policy: 'user-named-without-key-alert-only',
    kind: 'iam-user',
    alerts: ['response'],
    changed: [],
    quotes: 'AWSCompromisedKeyQuarantineV3 was put inline on IAM user compromised_user',
  },
  {
    file: 'panther-cloudtrail-put-own-deny-all.json',
    unwrapped: /^wrapped a bare CloudTrail record/,
    outcome: 'ignored',
    reason: 'not-a-compromise-signal',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  {
    file: 'panther-cloudtrail-put-user-policy-null-parameters.json',
    unwrapped: /^wrapped a bare CloudTrail record/,
    outcome: 'ignored',
    reason: 'not-a-compromise-signal',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  {
    file: 'c7n-cloudtrail-root-create-bucket.json',
    outcome: 'ignored',
    reason: 'not-a-compromise-signal',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
  {
    file: 'c7n-cloudtrail-record-create-volume.json',
    unwrapped: /^wrapped a bare CloudTrail record/,
    outcome: 'ignored',
    reason: 'not-a-compromise-signal',
    policy: null,
    kind: null,
    alerts: [],
    changed: [],
  },
];

/** What an event changed in IAM, as lines a reviewer can read. */
function changesBetween(before: PrincipalState[], after: PrincipalState[]): string[] {
  const changes: string[] = [];
  for (const principal of after) {
    const was = before.find((p) => p.accountId === principal.accountId && p.kind === principal.kind && p.name === principal.name);
    const who = `${principal.kind}/${principal.name}`;
    for (const key of principal.keys) {
      const previous = was?.keys.find((k) => k.accessKeyId === key.accessKeyId)?.status;
      if (previous !== key.status) changes.push(`${who}: ${key.accessKeyId} ${previous ?? '(new)'} → ${key.status}`);
    }
    for (const policy of principal.inlinePolicies) if (!was?.inlinePolicies.includes(policy)) changes.push(`${who}: +${policy}`);
  }
  return changes;
}

describe('Real events published by others, through the sandbox (test/fixtures/real/PROVENANCE.md)', () => {
  it('has at least 20 of them, each listed in PROVENANCE.md', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const files = (await readdir(fixturePath('real'))).filter((f) => f.endsWith('.json')).sort();
    const provenance = await readFile(fixturePath('real/PROVENANCE.md'), 'utf8');

    expect(files).toEqual(cases.map((c) => c.file).sort());
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const file of files) expect(provenance).toContain(`\`${file}\``);
  });

  it.each(cases)('$file ends $outcome ($reason)', async (expected) => {
    const notes: string[] = [];
    const events = await readEvents([fixturePath(`real/${expected.file}`)], (line) => notes.push(line));

    const [report, ...others] = await runSandbox(events, { endpoint: awsEndpoint() });

    expect(others).toEqual([]);
    // Every unwrapping is said, as "<file>: <what was done>".
    expect(notes.map((note) => note.split(': ')[0])).toEqual(expected.unwrapped ? [expected.file] : []);
    if (expected.unwrapped) expect(notes[0]!.slice(expected.file.length + 2)).toMatch(expected.unwrapped);
    expect({
      outcome: report!.outcome,
      reason: report!.reason,
      policy: report!.policy,
      kind: report!.incident?.credential.kind ?? null,
    }).toEqual({
      outcome: expected.outcome,
      reason: expected.reason,
      policy: expected.policy,
      kind: expected.kind,
    });
    expect(changesBetween(report!.principalsBefore, report!.principals)).toEqual(expected.changed);
    expect(report!.notifications.map((n) => n.attributes.alertType)).toEqual(expected.alerts);
    for (const alert of report!.notifications) {
      // One filter policy pages on everything that needs a human: every alert carries outcome and alertType.
      expect(alert.attributes.outcome).toBe(expected.outcome);
      if (expected.quotes) expect(alert.text).toContain(expected.quotes);
    }
  });
});
