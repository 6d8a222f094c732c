import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tagPrincipal } from '../../src/actions/tagPrincipal';
import { DEFAULT_EXEMPT_TAG } from '../../src/decide/Guardrails';

describe('SCP that keeps the exemption tag out of reach (deploy/scp-protect-keystop-tags.json)', () => {
  let statement: any;
  beforeAll(async () => {
    const scp = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'deploy', 'scp-protect-keystop-tags.json'), 'utf8'));
    expect(scp.Statement).toHaveLength(1);
    [statement] = scp.Statement;
  });

  it('denies every way to put or remove a keystop:* tag on a user or role, the default exemption tag included', () => {
    expect(statement).toMatchObject({ Effect: 'Deny', Resource: '*' });
    expect(statement.Action).toEqual(
      expect.arrayContaining(['iam:TagUser', 'iam:UntagUser', 'iam:TagRole', 'iam:UntagRole', 'iam:CreateUser', 'iam:CreateRole']),
    );
    const [pattern] = statement.Condition['ForAnyValue:StringLike']['aws:TagKeys'];
    expect(new RegExp(`^${pattern.replace('*', '.*')}$`).test(DEFAULT_EXEMPT_TAG.key)).toBe(true);
  });

  it("leaves Keystop's own roles (which tag what they contain) and the member role able to tag", () => {
    expect(tagPrincipal.permissions).toEqual(expect.arrayContaining(['iam:TagUser', 'iam:TagRole']));
    expect(statement.Condition.ArnNotLike['aws:PrincipalArn']).toEqual(
      expect.arrayContaining(['arn:*:iam::*:role/keystop/*', 'arn:*:iam::*:role/KeystopMember']),
    );
  });
});
