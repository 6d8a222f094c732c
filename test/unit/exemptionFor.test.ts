import { describe, expect, it } from 'vitest';
import { exemptionFor } from '../../src/decide/exemptionFor';
import type { Credential } from '../../src/domain/CredentialIncident';
import { principalArnOf } from '../../src/domain/principalArnOf';
import { incidentAbout } from '../support/incidents';

const incident = incidentAbout;

const role = (roleName: string, sessionName?: string): Credential => ({
  kind: 'role-session',
  accessKeyId: 'ASIAEXEMPTTEST000001',
  roleName,
  ...(sessionName ? { sessionName } : {}),
});
const user = (userName: string): Credential => ({ kind: 'long-term-key', accessKeyId: 'AKIAEXEMPTTEST000001', userName });
const SSO_PATTERN = 'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*';

describe('Exemptions by ARN pattern', () => {
  it('match a role by an ARN with its path once the path is known, and not before', () => {
    const sso = incident(role('PowerUsers_abc'), { principalPath: '/aws-reserved/sso.amazonaws.com/' });

    expect(exemptionFor(sso, [SSO_PATTERN])).toBe(SSO_PATTERN);
    expect(exemptionFor({ ...sso, principalPath: undefined }, [SSO_PATTERN])).toBeUndefined();
    expect(exemptionFor({ ...sso, principalPath: '/team/' }, [SSO_PATTERN])).toBeUndefined();
  });

  it('match a role with a path by the path-less ARN as well (names are unique in an account)', () => {
    const pattern = 'arn:aws:iam::111122223333:role/deployer';
    expect(exemptionFor(incident(role('deployer'), { principalPath: '/ci/' }), [pattern])).toBe(pattern);
  });

  it('match in every partition: aws-us-gov and aws-cn ARNs for incidents in those regions', () => {
    const gov = 'arn:aws-us-gov:iam::111122223333:user/build-bot';
    const cn = 'arn:aws-cn:iam::*:user/build-*';

    expect(exemptionFor(incident(user('build-bot'), { region: 'us-gov-west-1' }), [gov])).toBe(gov);
    expect(exemptionFor(incident(user('build-bot'), { region: 'cn-north-1' }), [cn])).toBe(cn);
    expect(exemptionFor(incident(user('build-bot'), { region: 'us-east-1' }), [gov, cn])).toBeUndefined();
    expect(exemptionFor(incident(user('build-bot'), { region: 'us-gov-east-1' }), [cn, 'arn:*:iam::*:user/build-bot'])).toBe(
      'arn:*:iam::*:user/build-bot',
    );
  });

  it('give a session whose name the report does not carry no session name: only a pattern ending in * matches it', () => {
    const unnamed = incident(role('deployer'));

    expect(exemptionFor(unnamed, ['arn:aws:sts::111122223333:assumed-role/deployer/*'])).toBe(
      'arn:aws:sts::111122223333:assumed-role/deployer/*',
    );
    expect(exemptionFor(unnamed, ['arn:aws:sts::111122223333:assumed-role/deployer/'])).toBeUndefined();
    expect(exemptionFor(unnamed, ['arn:aws:sts::111122223333:assumed-role/deployer/u*'])).toBeUndefined();
  });

  it('give only role sessions an assumed-role ARN, and a principal without a name no name to match', () => {
    expect(exemptionFor(incident(user('build-bot')), ['arn:aws:sts::111122223333:assumed-role/*'])).toBeUndefined();
    expect(exemptionFor(incident({ kind: 'root' }), ['undefined', 'arn:aws:sts::*'])).toBeUndefined();
  });

  it('tell users from roles', () => {
    const rolePattern = 'arn:aws:iam::*:role/build-bot';
    expect(exemptionFor(incident(user('build-bot')), [rolePattern])).toBeUndefined();
    expect(exemptionFor(incident(role('build-bot')), [rolePattern])).toBe(rolePattern);
  });

  it('match a role session by the assumed-role ARN CloudTrail shows', () => {
    const pattern = 'arn:aws:sts::111122223333:assumed-role/deployer/*';
    expect(exemptionFor(incident(role('deployer', 'i-0abc')), [pattern])).toBe(pattern);
    expect(exemptionFor(incident(role('other', 'i-0abc')), [pattern])).toBeUndefined();
  });

  it("match a role session by the assumed-role ARN in its own partition (GovCloud, China), not in aws's", () => {
    const gov = 'arn:aws-us-gov:sts::111122223333:assumed-role/deployer/*';
    const cn = 'arn:aws-cn:sts::111122223333:assumed-role/deployer/*';
    const commercial = 'arn:aws:sts::111122223333:assumed-role/deployer/*';
    // Only the assumed-role ARN can match these: the IAM role ARNs are arn:<partition>:iam::…
    const session = (region: string) => incident(role('deployer', 'i-0abc'), { region });

    expect(exemptionFor(session('us-gov-west-1'), [gov])).toBe(gov);
    expect(exemptionFor(session('cn-northwest-1'), [cn])).toBe(cn);
    expect(exemptionFor(session('us-gov-west-1'), [commercial])).toBeUndefined();
    expect(exemptionFor(session('cn-northwest-1'), [commercial])).toBeUndefined();
  });

  it('glob across the whole ARN, and by name without arn:', () => {
    const apps = 'arn:aws:iam::*:role/apps/*';
    expect(exemptionFor(incident(role('svc-a'), { principalPath: '/apps/x/' }), ['arn:aws:iam::*:role/other/*', apps])).toBe(apps);
    expect(exemptionFor(incident(role('svc-a'), { principalPath: '/web/' }), [apps])).toBeUndefined();
    expect(exemptionFor(incident(user('build-bot')), ['build-*'])).toBe('build-*');
    expect(exemptionFor(incident(user('deploy')), ['build-*'])).toBeUndefined();
  });

  it('show the principal ARN in its own partition and with its path', () => {
    expect(principalArnOf(incident(role('r'), { region: 'us-gov-west-1', principalPath: '/p/' }))).toBe(
      'arn:aws-us-gov:iam::111122223333:role/p/r',
    );
    expect(principalArnOf(incident(user('u'), { region: 'global' }))).toBe('arn:aws:iam::111122223333:user/u');
  });
});
