import { describe, expect, it } from 'vitest';
import { defaultStateSettings, loadConfig, settingDefault } from '../../src/aws/Config';
import { defaultGuardrails, parseExemptTag } from '../../src/decide/Guardrails';

const base = {
  KEYSTOP_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:keystop-alerts-prod',
  KEYSTOP_ACCOUNT_ID: '123456789012',
  KEYSTOP_STATE_TABLE: 'keystop-state-prod',
};

describe('Configuration from the Lambda environment', () => {
  it('is a single-account deployment unless a member role is configured', () => {
    const config = loadConfig(base);

    expect(config).toMatchObject({ KEYSTOP_ACCOUNT_ID: '123456789012', KEYSTOP_MEMBER_ROLE_NAME: '', KEYSTOP_MEMBER_ACCOUNTS: [] });
  });

  it('reads the organisation settings: member role, ExternalId, member accounts', () => {
    const config = loadConfig({
      ...base,
      KEYSTOP_MEMBER_ROLE_NAME: 'KeystopMember',
      KEYSTOP_EXTERNAL_ID: 'keystop-o-a1b2c3d4e5',
      KEYSTOP_MEMBER_ACCOUNTS: '222222222222, 333333333333',
    });

    expect(config.KEYSTOP_MEMBER_ACCOUNTS).toEqual(['222222222222', '333333333333']);
  });

  it('stops at cold start when member accounts are allowed without a role and ExternalId to reach them', () => {
    expect(() => loadConfig({ ...base, KEYSTOP_MEMBER_ACCOUNTS: '222222222222' })).toThrow(
      'member accounts need a member role and its ExternalId',
    );
  });

  it("refuses '*' as member accounts without the organisation id that bounds it", () => {
    const org = { ...base, KEYSTOP_MEMBER_ROLE_NAME: 'KeystopMember', KEYSTOP_EXTERNAL_ID: 'ext', KEYSTOP_MEMBER_ACCOUNTS: '*' };

    expect(() => loadConfig(org)).toThrow('needs KEYSTOP_ORGANIZATION_ID');
    expect(() => loadConfig({ ...org, KEYSTOP_ORGANIZATION_ID: 'r-abcd' })).toThrow('must be an organisation id');
    expect(loadConfig({ ...org, KEYSTOP_ORGANIZATION_ID: 'o-a1b2c3d4e5' }).KEYSTOP_MEMBER_ACCOUNTS).toEqual(['*']);
  });

  it("reads Keystop's own role names, which are never contained", () => {
    expect(loadConfig({ ...base, KEYSTOP_OWN_ROLE_NAMES: 'keystop-prod-guardduty,keystop-prod-health' }).KEYSTOP_OWN_ROLE_NAMES).toEqual([
      'keystop-prod-guardduty',
      'keystop-prod-health',
    ]);
  });

  it('names the setting that is wrong: its own account id, a member account id', () => {
    expect(() => loadConfig({ ...base, KEYSTOP_ACCOUNT_ID: '' })).toThrow('KEYSTOP_ACCOUNT_ID');
    expect(() =>
      loadConfig({ ...base, KEYSTOP_MEMBER_ROLE_NAME: 'KeystopMember', KEYSTOP_EXTERNAL_ID: 'ext', KEYSTOP_MEMBER_ACCOUNTS: '2222' }),
    ).toThrow('each member account must be a 12-digit account id');
  });
});

describe('Defaults, written once in the settings schema', () => {
  it("gives the sandbox and tests a deployment's state settings: a day's de-duplication, at most 10 containments an hour", () => {
    expect(defaultStateSettings()).toEqual({ dedupWindowMs: 24 * 3600_000, breakerLimit: 10, breakerWindowMs: 3600_000 });
  });

  it("is where the guardrails' default exemption tag comes from", () => {
    expect(parseExemptTag(settingDefault('KEYSTOP_EXEMPT_TAG'))).toEqual(defaultGuardrails.exemptTag);
  });
});
