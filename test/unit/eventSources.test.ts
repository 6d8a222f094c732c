import { describe, expect, it } from 'vitest';
import { cloudTrailSource } from '../../src/sources/cloudTrailSource';
import { eventSourceFor, eventSources } from '../../src/sources/eventSources';
import { parseEvent } from '../../src/sources/parseEvent';
import { loadFixture } from '../support/loadFixture';

const HONEY_KEY = 'AKIAHONEYBAITKEY0001';

/** A raw event through the source that recognises it (as the CLI and the sandbox route files), adapted. */
function route(event: unknown, settings = { honeyKeys: [HONEY_KEY] }) {
  const source = eventSourceFor(event, settings);
  return source && { name: source.name, adapted: source.adapt(parseEvent(source.name, source.schema, event)) };
}

describe('Routing a raw event to the source that consumes it (CLI, sandbox)', () => {
  it.each([
    ['real/c7n-guardduty-iamuser-tor-sample.json', 'GuardDuty'],
    ['security-hub/two-new-guardduty-key-findings.json', 'Security Hub'],
    ['real/c7n-securityhub-custom-action-iam-key.json', 'Security Hub custom action'],
    ['real/hmrc-health-credentials-exposed-placeholder.json', 'AWS Health'],
    ['real/c7n-cloudtrail-root-create-bucket.json', 'CloudTrail'],
  ])('routes %s to %s', (file, name) => {
    expect(eventSourceFor(loadFixture(file))?.name).toBe(name);
  });

  it("routes nothing else: CloudWatch's alarm event (its own function takes it), a mixed-up envelope, no object at all", () => {
    const mixed = loadFixture('real/c7n-guardduty-iamuser-tor-sample.json');
    mixed['detail-type'] = 'Security Hub Findings - Imported';
    const healthAsGuardDuty = loadFixture('real/hmrc-health-credentials-exposed-placeholder.json');
    healthAsGuardDuty['detail-type'] = 'GuardDuty Finding';
    const customActionFromElsewhere = loadFixture('real/c7n-securityhub-custom-action-iam-key.json');
    customActionFromElsewhere.source = 'aws.guardduty';
    const importedFromElsewhere = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    importedFromElsewhere.source = 'aws.health';
    const healthTypeElsewhere = loadFixture('real/hmrc-health-credentials-exposed-placeholder.json');
    healthTypeElsewhere.source = 'aws.securityhub';

    for (const event of [
      loadFixture('cloudwatch/alarm-state-change-single-metric.json'),
      mixed,
      healthAsGuardDuty,
      customActionFromElsewhere,
      importedFromElsewhere,
      healthTypeElsewhere,
      null,
      'AWS API Call via CloudTrail',
      {},
    ]) {
      expect(eventSourceFor(event)?.name).toBeUndefined();
    }
  });

  it('routes every CloudTrail call to the CloudTrail source, whatever service it records: the schema holds source to aws.*', () => {
    const event = loadFixture('cloudtrail/ordinary-api-call.json');

    expect(route(event)).toEqual({
      name: 'CloudTrail',
      adapted: {
        kind: 'ignored',
        reason: 'not-a-compromise-signal',
        detail: 'ec2.amazonaws.com RunInstances is neither a call with a configured honey key nor AWS quarantining a user',
      },
    });
  });

  it('without settings, knows no honey key and no responder, and still adapts a call: ignored, or a tamper report by nobody sanctioned', () => {
    const reEnabled = loadFixture('cloudtrail/update-access-key-active.json');
    const source = eventSourceFor(reEnabled)!;

    expect(source.adapt(parseEvent(source.name, source.schema, loadFixture('cloudtrail/honey-key-used.json')))).toMatchObject({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
    });
    expect(source.adapt(parseEvent(source.name, source.schema, reEnabled))).toMatchObject({
      kind: 'tamper',
      reports: [{ change: 'key-re-enabled', byResponder: false }],
    });
  });

  it("passes the deployment's honey keys and responders to the CloudTrail source", () => {
    const reEnabled = loadFixture('cloudtrail/update-access-key-active.json');
    const sources = eventSources({ honeyKeys: [HONEY_KEY], responders: ['mallory'] });
    const cloudTrail = sources.find((s) => s.name === 'CloudTrail')!;

    expect(route(loadFixture('cloudtrail/honey-key-used.json'))?.adapted).toMatchObject({ kind: 'incidents' });
    expect(cloudTrail.adapt(parseEvent(cloudTrail.name, cloudTrail.schema, reEnabled))).toMatchObject({ reports: [{ byResponder: true }] });
    expect(sources.map((s) => s.name)).toEqual(['GuardDuty', 'Security Hub', 'Security Hub custom action', 'AWS Health', 'CloudTrail']);
  });
});

describe('cloudTrailSource: which answer a call gets, in the CloudTrail function and in the guard', () => {
  const quarantineByAws = () => loadFixture('cloudtrail/quarantine-policy-attached.json');

  it('the CloudTrail function: a compromise signal first; a call that is none is ignored with its reason', () => {
    const cloudTrail = cloudTrailSource([HONEY_KEY]);

    expect(cloudTrail.adapt(cloudTrail.schema.parse(quarantineByAws()))).toMatchObject({
      kind: 'incidents',
      incidents: [{ credential: { kind: 'iam-user', userName: 'legacy-uploader' } }],
    });
    expect(cloudTrail.adapt(cloudTrail.schema.parse(loadFixture('cloudtrail/ordinary-api-call.json')))).toMatchObject({
      kind: 'ignored',
      detail: 'ec2.amazonaws.com RunInstances is neither a call with a configured honey key nor AWS quarantining a user',
    });
  });

  it("the guard: never an incident, even for AWS's quarantine or a honey key; an unguarded call says the CloudTrail function decides", () => {
    const guard = cloudTrailSource([HONEY_KEY], [], { guardOnly: true, offensiveUserAgents: true });
    const honey = loadFixture('cloudtrail/honey-key-used.json');
    honey.detail.userAgent = 'TruffleHog';

    expect(guard.adapt(guard.schema.parse(quarantineByAws()))).toEqual({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: 'the tamper guard reports no incident: the CloudTrail function does',
    });
    expect(guard.adapt(guard.schema.parse(honey))).toEqual({
      kind: 'ignored',
      reason: 'not-a-compromise-signal',
      detail: 'iam.amazonaws.com CreateUser is neither a call with a configured honey key nor AWS quarantining a user',
    });
    expect(guard.adapt(guard.schema.parse(loadFixture('cloudtrail/ordinary-api-call.json')))).toMatchObject({
      kind: 'ignored',
      detail: 'ec2.amazonaws.com RunInstances is neither a call with a configured honey key nor AWS quarantining a user',
    });
  });

  it('recognises only CloudTrail API calls', () => {
    const source = cloudTrailSource([]);

    expect(source.recognizes(loadFixture('cloudtrail/ordinary-api-call.json'))).toBe(true);
    expect(source.recognizes(loadFixture('real/c7n-guardduty-iamuser-tor-sample.json'))).toBe(false);
  });
});
