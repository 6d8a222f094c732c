import { describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { noGuardrails } from '../../src/decide/Guardrails';
import { planResponse } from '../../src/decide/planResponse';
import type { AdaptedEvent } from '../../src/domain/AdaptedEvent';
import { fromGuardDuty } from '../../src/sources/fromGuardDuty';
import { GuardDutyFindingEvent } from '../../src/sources/GuardDutyFindingEvent';
import { parseEvent } from '../../src/sources/parseEvent';
import { loadFixture } from '../support/loadFixture';

const adapt = (event: unknown) => fromGuardDuty(parseEvent('GuardDuty', GuardDutyFindingEvent, event));
const incidentsOf = (adapted: AdaptedEvent) => (adapted.kind === 'incidents' ? adapted.incidents : []);
const FIXTURE = 'guardduty/attack-sequence-compromised-credentials.json';

describe('Adapter: GuardDuty attack sequence about credentials', () => {
  it("makes one incident per distinct credential among the sequence's actors, with the finding's evidence", () => {
    const found = incidentsOf(adapt(loadFixture(FIXTURE)));

    expect(found.map((i) => [i.id, i.credential])).toEqual([
      [
        'guardduty:111122223333:3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b:AKIASEQUENCEKEY00001',
        { kind: 'long-term-key', accessKeyId: 'AKIASEQUENCEKEY00001', userName: 'data-sync' },
      ],
      [
        'guardduty:111122223333:3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b:ASIASEQUENCESESS0001',
        { kind: 'role-session', accessKeyId: 'ASIASEQUENCESESS0001', roleName: 'batch-runner' },
      ],
    ]);
    expect(found[0]).toMatchObject({
      type: 'AttackSequence:IAM/CompromisedCredentials',
      severity: 9.2,
      severityLabel: 'CRITICAL',
      accountId: '111122223333',
      observedAt: '2026-11-25T17:40:55Z',
      sample: false,
    });
  });

  it('is contained by default: a sequence is GuardDuty correlating several signals of one compromise', () => {
    const [incident] = incidentsOf(adapt(loadFixture(FIXTURE)));

    expect(planResponse(defaultPolicies, incident!, noGuardrails)).toMatchObject({
      policy: 'guardduty-attack-sequence',
      execute: true,
    });
  });

  it('reports a sequence whose actors name no credential as one unmapped incident, quoting the actors', () => {
    const event = loadFixture(FIXTURE);
    for (const actor of event.detail.service.detection.sequence.actors) delete actor.user.credentialUid;

    const adapted = adapt(event);

    expect(adapted.kind === 'incidents' && adapted.incidents.map((i) => [i.id, i.credential])).toEqual([
      [
        `guardduty:111122223333:${event.detail.id}`,
        {
          kind: 'unmapped',
          entities: ['data-sync', 'AIDASEQUENCEUSER0001', 'IAMUser', 'batch-runner', 'AROASEQUENCEROLE0001:job-42', 'AssumedRole'],
        },
      ],
    ]);
  });

  it('ignores attack sequences about other resources', () => {
    const event = loadFixture(FIXTURE);
    event.detail.type = 'AttackSequence:S3/CompromisedData';

    expect(adapt(event)).toMatchObject({ kind: 'ignored', reason: 'not-a-credential-finding' });
  });
});

describe('Adapter: GuardDuty attack sequence, the edges', () => {
  const actorsOf = (event: Record<string, any>) => event.detail.service.detection.sequence.actors as Record<string, any>[];

  it("gives a sequence with one credential the finding's own id, and an actor's other account the mark that it is named only in the content", () => {
    const event = loadFixture(FIXTURE);
    const [first] = actorsOf(event);
    first!.user.account.uid = '444455556666';
    event.detail.service.detection.sequence.actors = [first];

    const [incident, ...more] = incidentsOf(adapt(event));

    expect(more).toEqual([]);
    expect(incident).toMatchObject({
      id: `guardduty:111122223333:${event.detail.id}`,
      accountId: '444455556666',
      accountNamedOnlyInContent: true,
    });
  });

  it("does not mark an actor in the finding's own account, nor one with no account, as named only in the content", () => {
    const event = loadFixture(FIXTURE);
    delete actorsOf(event)[1]!.user.account;

    const found = incidentsOf(adapt(event));

    expect(found.map((i) => [i.accountId, i.accountNamedOnlyInContent])).toEqual([
      ['111122223333', undefined],
      ['111122223333', undefined],
    ]);
  });

  it('reports a sequence without actors, or with actors that are not users, as one unmapped incident naming nothing', () => {
    const none = loadFixture(FIXTURE);
    delete none.detail.service.detection.sequence.actors;
    const userless = loadFixture(FIXTURE);
    userless.detail.service.detection.sequence.actors = [{ id: 'actor-1' }];

    for (const event of [none, userless]) {
      expect(incidentsOf(adapt(event)).map((i) => i.credential)).toEqual([{ kind: 'unmapped', entities: [] }]);
    }
  });

  it('says which attack sequence about resources it ignores', () => {
    const event = loadFixture(FIXTURE);
    event.detail.type = 'AttackSequence:S3/CompromisedData';

    expect(adapt(event)).toEqual({
      kind: 'ignored',
      reason: 'not-a-credential-finding',
      detail: 'AttackSequence:S3/CompromisedData is an attack sequence about resources, not a credential',
    });
  });

  it('reads a sequence that names its access key in the resource like any key finding', () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    event.detail.type = 'AttackSequence:IAM/CompromisedCredentials';

    expect(incidentsOf(adapt(event)).map((i) => i.credential)).toEqual([
      { kind: 'long-term-key', accessKeyId: 'AKIAFIXTURELEAKED001', userName: 'build-bot' },
    ]);
  });
});
