import { describe, expect, it } from 'vitest';
import { formatAlert } from '../../src/report/notify/formatAlert';
import { CloudTrailApiCallEvent } from '../../src/sources/CloudTrailApiCallEvent';
import { fromCloudTrail } from '../../src/sources/fromCloudTrail';
import { parseEvent } from '../../src/sources/parseEvent';
import { loadFixture } from '../support/loadFixture';

describe('Alert for a user named without its key (iam-user)', () => {
  it('tells the responder to find and deactivate the leaked key, not to revoke sessions', () => {
    // Prepare: AWS attached its quarantine policy to a user
    const adapted = fromCloudTrail(
      parseEvent('CloudTrail', CloudTrailApiCallEvent, loadFixture('cloudtrail/quarantine-policy-attached.json')),
      [],
    );
    const incident = adapted.kind === 'incidents' ? adapted.incidents[0]! : undefined;

    // Act
    const alert = formatAlert({
      outcome: 'notified',
      reason: 'notify-only-policy',
      explanation: 'alert only',
      incident: incident!,
      policy: 'user-named-without-key-alert-only',
      actions: [],
    });

    // Assess
    expect(alert.subject).toMatch(/^Keystop ACTION NEEDED: user legacy-uploader in 111122223333 - /);
    expect(alert.text).toContain('aws iam list-access-keys --user-name legacy-uploader');
    expect(alert.text).toContain('deactivate every key the attacker used');
    expect(alert.text).not.toContain('TokenIssueTime');
    expect(alert.attributes).toMatchObject({ credentialKind: 'iam-user', source: 'cloudtrail', severity: 'HIGH' });
  });
});
