import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roleSessionName } from '../../src/aws/roleSessionName';

describe('Role session name', () => {
  it('carries a GuardDuty incident id whole, with the characters STS refuses replaced', () => {
    expect(roleSessionName('guardduty:222222222222:a1b2c3d4e5f60718293a4b5c6d7e8f90')).toBe(
      'guardduty-222222222222-a1b2c3d4e5f60718293a4b5c6d7e8f90',
    );
  });

  it("keeps a long id's source, account and own id's tail within 64 characters", () => {
    const id = 'health:222222222222:arn:aws:health:global::event/RISK/AWS_RISK_CREDENTIALS_EXPOSED/AWS_RISK_CREDENTIALS_EXPOSED_7c1f2e';
    const name = roleSessionName(id);

    expect(name).toHaveLength(64);
    expect(name.startsWith('health-222222222222-arn')).toBe(true);
    expect(name.endsWith('EXPOSED_7c1f2e')).toBe(true);
  });

  it('is always a name STS accepts, whatever the id', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (id) => {
        expect(roleSessionName(id)).toMatch(/^[\w+=,.@-]{2,64}$/);
      }),
    );
  });
});
