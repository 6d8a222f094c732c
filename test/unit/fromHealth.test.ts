import { describe, expect, it } from 'vitest';
import type { AdaptedEvent } from '../../src/domain/AdaptedEvent';
import { MalformedEventError } from '../../src/domain/errors';
import { fromHealth } from '../../src/sources/fromHealth';
import { HealthEvent } from '../../src/sources/HealthEvent';
import { parseEvent } from '../../src/sources/parseEvent';
import { loadFixture } from '../support/loadFixture';

const adapt = (event: unknown) => fromHealth(parseEvent('AWS Health', HealthEvent, event));
const incidentsOf = (adapted: AdaptedEvent) => (adapted.kind === 'incidents' ? adapted.incidents : []);

describe('Adapter: AWS Health RISK event → CredentialIncident', () => {
  it('turns the current shape (key and user in eventMetadata) into one long-term-key incident', () => {
    const adapted = adapt(loadFixture('health/exposed-current-shape.json'));

    expect(adapted).toEqual({
      kind: 'incidents',
      incidents: [
        {
          id: 'health:111122223333:3b9e0f61c2d84a7f95e1b6c0d2a4f8e71c3b5d9a0e2f',
          source: 'health',
          type: 'AWS_RISK_CREDENTIALS_EXPOSED',
          severity: 8,
          severityLabel: 'HIGH',
          accountId: '111122223333',
          region: 'global',
          observedAt: '2026-11-20T09:40:12.000Z',
          credential: { kind: 'long-term-key', accessKeyId: 'AKIAHEALTHEXPOSED001', userName: 'ci-deployer' },
          sample: false,
          backupDelivery: false,
          title: 'AWS found this access key exposed publicly',
          evidence: {
            exposedUrl: 'https://example.com/acme/infra/blob/main/deploy.env',
            description: 'An access key of your account was found publicly available. AWS opened a Support case with the details.',
          },
          origin: {
            findingId: '3b9e0f61c2d84a7f95e1b6c0d2a4f8e71c3b5d9a0e2f',
            findingArn: 'arn:aws:health:global::event/RISK/AWS_RISK_CREDENTIALS_EXPOSED/AWS_RISK_CREDENTIALS_EXPOSED-Kx7QpR2mZa',
            eventId: '7d3f1c2e-5a4b-4e6f-8a9b-0c1d2e3f4a5b',
          },
        },
      ],
    });
  });

  it('marks the backup-region delivery, and gives it the same incident id as the primary one', () => {
    const [primary] = incidentsOf(adapt(loadFixture('health/exposed-current-shape.json')));
    const [backup] = incidentsOf(adapt(loadFixture('health/exposed-backup-delivery.json')));

    expect(primary!.backupDelivery).toBe(false);
    expect(backup!.backupDelivery).toBe(true);
    expect(backup!.id).toBe(primary!.id);
    expect(backup!.origin.eventId).not.toBe(primary!.origin.eventId);
  });

  it('takes the key from affectedEntities in the minimal shape and leaves its owner to be looked up', () => {
    const [incident, ...others] = incidentsOf(adapt(loadFixture('health/compromised-minimal-affected-entities.json')));

    expect(others).toEqual([]);
    expect(incident).toMatchObject({
      id: 'health:111122223333:arn:aws:health:us-east-1::event/AWS_RISK_CREDENTIALS_COMPROMISED_2c4e6a8b0d',
      type: 'AWS_RISK_CREDENTIALS_COMPROMISED',
      severity: 9,
      severityLabel: 'CRITICAL',
      accountId: '111122223333',
      region: 'us-east-1',
      observedAt: '2026-11-21T14:01:30.000Z',
      backupDelivery: false,
    });
    expect(incident!.credential).toEqual({ kind: 'long-term-key', accessKeyId: 'AKIAHEALTHMINIMAL001' });
  });

  it("takes the key from the envelope's resources when the detail names none", () => {
    const [incident] = incidentsOf(adapt(loadFixture('health/exposure-suspected-minimal-resources.json')));

    expect(incident).toMatchObject({ type: 'AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED', severity: 5, severityLabel: 'MEDIUM' });
    expect(incident!.credential).toEqual({ kind: 'long-term-key', accessKeyId: 'AKIAHEALTHRESOURCE01' });
  });

  it('turns a quarantine notice in region "global" that names only the user into an iam-user incident', () => {
    const [incident] = incidentsOf(adapt(loadFixture('health/iam-quarantine-global-user-only.json')));

    expect(incident).toMatchObject({
      type: 'AWS_RISK_IAM_QUARANTINE',
      region: 'global',
      severityLabel: 'HIGH',
      credential: { kind: 'iam-user', userName: 'legacy-uploader' },
    });
  });

  it.each([
    ['AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED', 5, 'AWS suspects this access key is compromised'],
    ['AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED', 5, 'AWS suspects this access key was exposed'],
    ['AWS_RISK_CREDENTIALS_EXPOSED', 8, 'AWS found this access key exposed publicly'],
    ['AWS_RISK_CREDENTIALS_COMPROMISED', 9, 'AWS found this access key compromised'],
    ['AWS_RISK_IAM_QUARANTINE', 8, 'AWS quarantined this IAM user because its key leaked'],
  ])('recognises %s (severity %d), and says what AWS found: "%s"', (code, severity, title) => {
    const event = loadFixture('health/exposed-current-shape.json');
    event.detail.eventTypeCode = code;

    expect(incidentsOf(adapt(event))).toEqual([expect.objectContaining({ type: code, severity, title })]);
  });

  it('makes one incident per key when a notice names several, the user owning only the metadata key', () => {
    const event = loadFixture('health/exposed-current-shape.json');
    event.detail.affectedEntities.push({ entityValue: 'AKIAHEALTHSECOND0001' });

    const found = incidentsOf(adapt(event));

    expect(found.map((i) => i.credential)).toEqual([
      { kind: 'long-term-key', accessKeyId: 'AKIAHEALTHEXPOSED001', userName: 'ci-deployer' },
      { kind: 'long-term-key', accessKeyId: 'AKIAHEALTHSECOND0001' },
    ]);
    expect(new Set(found.map((i) => i.id)).size).toBe(2);
  });

  it('classifies a temporary (ASIA) key with its user as a session of that user', () => {
    const event = loadFixture('health/exposed-current-shape.json');
    event.detail.eventMetadata.publicKey = 'ASIAHEALTHSESSION001';
    event.detail.affectedEntities = [];
    event.resources = [];

    expect(incidentsOf(adapt(event))[0]!.credential).toEqual({
      kind: 'user-session',
      accessKeyId: 'ASIAHEALTHSESSION001',
      userName: 'ci-deployer',
    });
  });

  it('uses the organization view member account as the owner, not the receiving account', () => {
    const event = loadFixture('health/compromised-minimal-affected-entities.json');
    event.account = '999988887777';
    event.detail.affectedAccount = '444455556666';

    expect(incidentsOf(adapt(event))[0]!.accountId).toBe('444455556666');
  });

  it('ignores Health events of other services, with the reason', () => {
    expect(adapt(loadFixture('health/ec2-scheduled-maintenance.json'))).toEqual({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: 'Health event EC2/AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED does not report a compromised credential',
    });
  });

  it('ignores other RISK codes', () => {
    const event = loadFixture('health/exposed-current-shape.json');
    event.detail.eventTypeCode = 'AWS_RISK_ABUSE_REPORT';

    expect(adapt(event)).toMatchObject({ kind: 'ignored', reason: 'not-a-compromise-signal' });
  });

  it('reports a compromise notice whose entity is not a key (a placeholder) as one unmapped credential, quoting it', () => {
    const event = loadFixture('health/compromised-minimal-affected-entities.json');
    event.detail.affectedEntities = [{ entityValue: 'ACCESS_KEY_ID_HERE' }];

    const adapted = adapt(event);

    expect(adapted).toMatchObject({ kind: 'incidents' });
    if (adapted.kind !== 'incidents') return;
    expect(adapted.incidents).toHaveLength(1);
    expect(adapted.incidents[0]).toMatchObject({
      id: `health:111122223333:${event.detail.eventArn}`,
      type: 'AWS_RISK_CREDENTIALS_COMPROMISED',
      credential: { kind: 'unmapped', entities: ['ACCESS_KEY_ID_HERE'] },
    });
  });

  it('reports a compromise notice that names nothing at all as unmapped, with no entity', () => {
    const event = loadFixture('health/compromised-minimal-affected-entities.json');
    delete event.detail.affectedEntities;

    const adapted = adapt(event);

    expect(adapted.kind === 'incidents' && adapted.incidents.map((i) => i.credential)).toEqual([{ kind: 'unmapped', entities: [] }]);
  });

  it('makes a user ARN among the entities an iam-user incident', () => {
    const event = loadFixture('health/compromised-minimal-affected-entities.json');
    event.detail.affectedEntities = [{ entityValue: 'arn:aws:iam::111122223333:user/ci/deploy-bot' }];

    const adapted = adapt(event);

    expect(adapted.kind === 'incidents' && adapted.incidents.map((i) => i.credential)).toEqual([
      { kind: 'iam-user', userName: 'deploy-bot' },
    ]);
  });

  it('takes the only user ARN as the owner of the only key, and reports no separate user incident', () => {
    const event = loadFixture('health/compromised-minimal-affected-entities.json');
    event.detail.affectedEntities.push({ entityValue: 'arn:aws:iam::111122223333:user/deploy-bot' });

    const adapted = adapt(event);

    expect(adapted.kind === 'incidents' && adapted.incidents.map((i) => i.credential)).toEqual([
      { kind: 'long-term-key', accessKeyId: 'AKIAHEALTHMINIMAL001', userName: 'deploy-bot' },
    ]);
  });

  it('does not drop an ASIA key among several keys: without its user it is reported unmapped, beside the AKIA key', () => {
    const event = loadFixture('health/compromised-minimal-affected-entities.json');
    event.detail.affectedEntities.push({ entityValue: 'ASIAHEALTHSESSION001' });

    const adapted = adapt(event);

    expect(adapted.kind === 'incidents' && adapted.incidents.map((i) => [i.id, i.credential])).toEqual([
      [`health:111122223333:${event.detail.eventArn}:AKIAHEALTHMINIMAL001`, { kind: 'long-term-key', accessKeyId: 'AKIAHEALTHMINIMAL001' }],
      [
        `health:111122223333:${event.detail.eventArn}:unmapped/ASIAHEALTHSESSION001`,
        { kind: 'unmapped', entities: ['ASIAHEALTHSESSION001'] },
      ],
    ]);
  });

  it('rejects a notice whose owning account is not an account id, naming the field', () => {
    const event = loadFixture('health/exposed-current-shape.json');
    event.detail.eventMetadata.accountId = 'AKIAHEALTHEXPOSED001';

    expect(() => adapt(event)).toThrow(MalformedEventError);
    expect(() => adapt(event)).toThrow(/detail\.eventMetadata\.accountId: must be a 12-digit AWS account id/);
  });

  it('rejects an event without its event type code, naming the field', () => {
    const event = loadFixture('health/exposed-current-shape.json');
    delete event.detail.eventTypeCode;

    expect(() => adapt(event)).toThrow(/detail\.eventTypeCode/);
  });
});

describe('Adapter: AWS Health, a notice that names several users or keys', () => {
  const minimal = (entities: string[], change: (event: Record<string, any>) => void = () => {}) => {
    const event = loadFixture('health/compromised-minimal-affected-entities.json');
    event.detail.affectedEntities = entities.map((entityValue) => ({ entityValue }));
    change(event);
    return adapt(event);
  };
  const notice = `health:111122223333:${loadFixture('health/compromised-minimal-affected-entities.json').detail.eventArn}`;
  const idsAndCredentials = (adapted: AdaptedEvent) => incidentsOf(adapted).map((i) => [i.id, i.credential]);

  it('gives each named user its own incident, its id naming the user, and no user the only key when two are named', () => {
    const adapted = minimal(['AKIAHEALTHMINIMAL001', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/ops/bob']);

    expect(idsAndCredentials(adapted)).toEqual([
      [`${notice}:AKIAHEALTHMINIMAL001`, { kind: 'long-term-key', accessKeyId: 'AKIAHEALTHMINIMAL001' }],
      [`${notice}:user/alice`, { kind: 'iam-user', userName: 'alice' }],
      [`${notice}:user/bob`, { kind: 'iam-user', userName: 'bob' }],
    ]);
  });

  it("does not give the metadata's user two keys it may not own, nor an incident of its own beside them", () => {
    const adapted = minimal(['AKIAHEALTHMINIMAL001', 'AKIAHEALTHSECOND0001'], (event) => {
      event.detail.eventMetadata = { userName: 'ci-deployer' };
    });

    expect(incidentsOf(adapted).map((i) => i.credential)).toEqual([
      { kind: 'long-term-key', accessKeyId: 'AKIAHEALTHMINIMAL001' },
      { kind: 'long-term-key', accessKeyId: 'AKIAHEALTHSECOND0001' },
    ]);
  });

  it('reads a user ARN in any partition, and nothing that only contains one (a URL, trailing text) as a user', () => {
    expect(incidentsOf(minimal(['arn:aws-us-gov:iam::111122223333:user/deploy-bot'])).map((i) => i.credential)).toEqual([
      { kind: 'iam-user', userName: 'deploy-bot' },
    ]);
    for (const entity of [
      'https://example.com/acme/infra/blob/main/arn:aws:iam::111122223333:user/deploy-bot',
      'arn:aws:iam::111122223333:user/deploy-bot and its keys',
    ]) {
      expect(incidentsOf(minimal([entity])).map((i) => i.credential)).toEqual([{ kind: 'unmapped', entities: [entity] }]);
    }
  });
});
