import { describe, expect, it } from 'vitest';
import {
  ContainmentFailedError,
  CredentialBusyError,
  FactsUnavailableError,
  failureKindOf,
  IncompleteResponseError,
  isAnnounced,
  MalformedEventError,
  markMemberRoleRefusal,
  messageOf,
  NotificationFailedError,
} from '../../src/domain/errors';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { credentials, incidentAbout, responseTo } from '../support/incidents';

const named = (name: string, message = 'm') => Object.assign(new Error(message), { name });
const ROLE = 'arn:aws:iam::444455556666:role/keystop-member';

describe('How a failed IAM call is treated (it decides retry, hand-over or a human)', () => {
  it.each(['NoSuchEntityException', 'NoSuchEntity'])('%s: the key or principal is gone', (name) => {
    expect(failureKindOf(named(name))).toBe('gone');
  });

  it.each([
    'AccessDenied',
    'AccessDeniedException',
    'UnauthorizedOperation',
    'UnmodifiableEntity',
    'UnmodifiableEntityException',
    'LimitExceeded',
    'LimitExceededException',
    'MalformedPolicyDocument',
    'MalformedPolicyDocumentException',
    'InvalidInput',
    'InvalidInputException',
  ])('%s: denied, and will stay denied', (name) => {
    expect(failureKindOf(named(name))).toBe('denied');
  });

  it.each([
    'Throttling',
    'ServiceFailureException',
    'TimeoutError',
    'NotAccessDenied',
    'AccessDeniedExceptionX',
    'NoSuchEntityX',
    'XNoSuchEntity',
  ])('%s: transient, retried', (name) => {
    expect(failureKindOf(named(name))).toBe('transient');
  });

  it('reads only errors: a thrown value with such a name is transient', () => {
    expect(failureKindOf({ name: 'NoSuchEntityException' })).toBe('transient');
    expect(failureKindOf({ name: 'AccessDenied' })).toBe('transient');
    expect(failureKindOf('AccessDenied')).toBe('transient');
  });

  it("retries the member role's refusal (the member account's administrator can cause it), and says so", () => {
    for (const name of ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']) {
      const error = markMemberRoleRefusal(named(name, 'not allowed'), ROLE) as Error;

      expect(failureKindOf(error), name).toBe('transient');
      expect(error.message).toBe(
        `${ROLE} was refused (an administrator of that account may have changed the role or its boundary; retried): not allowed`,
      );
    }
  });

  it('leaves any other error of the member role as it is: a gone key is gone, a full quota denied', () => {
    const gone = markMemberRoleRefusal(named('NoSuchEntityException', 'no key'), ROLE) as Error;
    const quota = markMemberRoleRefusal(named('LimitExceeded', 'full'), ROLE) as Error;

    expect(failureKindOf(gone)).toBe('gone');
    expect(gone.message).toBe('no key');
    expect(failureKindOf(quota)).toBe('denied');
    expect(markMemberRoleRefusal('AccessDenied', ROLE)).toBe('AccessDenied');
    expect((markMemberRoleRefusal(named('AccessDeniedX', 'as is'), ROLE) as Error).message).toBe('as is');
    expect((markMemberRoleRefusal(named('XAccessDenied', 'as is'), ROLE) as Error).message).toBe('as is');
  });
});

describe('Named errors', () => {
  const incident = incidentAbout(credentials['long-term-key']);
  const failedResponse: IncidentResponse = responseTo(incident, {
    outcome: 'failed',
    actions: [
      { type: 'deactivate-access-key', status: 'done', target: 'AKIAEXAMPLELEAKED001', reason: 'ok' },
      { type: 'revoke-sessions', status: 'failed', target: 'user/build-bot', reason: 'Throttling: slow down' },
      { type: 'tag-principal', status: 'failed', target: 'user/build-bot', reason: 'Throttling: again' },
    ],
  });

  it('say which steps of a containment failed, and carry the cause', () => {
    const cause = new Error('root');
    const error = new ContainmentFailedError(failedResponse, { cause });

    expect(error.message).toBe(
      `containment failed for incident ${incident.id}: revoke-sessions user/build-bot: Throttling: slow down; tag-principal user/build-bot: Throttling: again`,
    );
    expect(error.name).toBe('ContainmentFailedError');
    expect(error.cause).toBe(cause);
    expect(new ContainmentFailedError({ ...failedResponse, incident: null }).message).toMatch(/^containment failed for incident unknown: /);
  });

  it('say when an alert could not be sent, and for which incident and outcome', () => {
    const error = new NotificationFailedError(failedResponse);

    expect(error.message).toBe(`could not send the alert for incident ${incident.id} (outcome failed)`);
    expect(error.name).toBe('NotificationFailedError');
    expect(new NotificationFailedError({ ...failedResponse, incident: null }).message).toContain('incident unknown');
  });

  it('say who holds a busy credential, and which fact could not be read', () => {
    expect(new CredentialBusyError('i-1', 'i-0').message).toBe(
      'incident i-1: another invocation (incident i-0) is responding to this credential; retry later',
    );
    expect(new CredentialBusyError('i-1', 'i-0').name).toBe('CredentialBusyError');
    expect(new FactsUnavailableError('i-1', 'IAM throttled').message).toBe('incident i-1: IAM throttled; retry later');
    expect(new FactsUnavailableError('i-1', 'x').name).toBe('FactsUnavailableError');
    expect(new MalformedEventError('GuardDuty', 'detail: required').message).toBe(
      'malformed GuardDuty event, no action taken: detail: required',
    );
    expect(new MalformedEventError('GuardDuty', 'x').name).toBe('MalformedEventError');
  });

  it('count the incidents not completed, with each failure and the first as cause', () => {
    const failures = [named('Throttling', 'slow'), 'plain'];
    const error = new IncompleteResponseError([failedResponse, failedResponse, failedResponse], failures);

    expect(error.message).toBe('2 of 3 incident(s) not completed: Throttling: slow | plain');
    expect(error.cause).toBe(failures[0]);
    expect(error.name).toBe('IncompleteResponseError');
  });

  it('count as announced only when responders were told already (a containment alert, another invocation)', () => {
    expect(isAnnounced(new ContainmentFailedError(failedResponse))).toBe(true);
    expect(isAnnounced(new CredentialBusyError('i-1', 'i-0'))).toBe(true);
    expect(isAnnounced(new NotificationFailedError(failedResponse))).toBe(false);
    expect(isAnnounced(new FactsUnavailableError('i-1', 'x'))).toBe(false);
    expect(isAnnounced(named('Throttling'))).toBe(false);
  });

  it('give the message of anything thrown', () => {
    expect(messageOf(named('Throttling', 'slow down'))).toBe('Throttling: slow down');
    expect(messageOf('text')).toBe('text');
    expect(messageOf(42)).toBe('42');
  });
});
