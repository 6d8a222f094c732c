import { describe, expect, it } from 'vitest';
import { isKeystopDenyDocument, parsePolicyDocument } from '../../src/actions/keystopDenyPolicy';
import { revocationPolicy } from '../../src/actions/revokeSessions';
import { clockStart } from '../support/testClock';

const deny = revocationPolicy(new Date(clockStart()));
const statement = JSON.parse(deny).Statement[0];
const withStatement = (changes: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ ...statement, ...changes }] });

describe("Recognising Keystop's deny (the tamper guard leaves it alone, restores anything else)", () => {
  it('recognises the document revoke-sessions writes, as JSON and URL-encoded as CloudTrail records it', () => {
    expect(isKeystopDenyDocument(deny)).toBe(true);
    expect(isKeystopDenyDocument(encodeURIComponent(deny))).toBe(true);
  });

  it('recognises it as a single statement, not a list, and beside other statements', () => {
    expect(isKeystopDenyDocument(JSON.stringify({ Statement: statement }))).toBe(true);
    expect(isKeystopDenyDocument(JSON.stringify({ Statement: [{ Sid: 'Other', Effect: 'Allow' }, statement] }))).toBe(true);
    expect(isKeystopDenyDocument(withStatement({ Action: ['s3:GetObject', '*'] }))).toBe(true);
  });

  it("recognises the follow's deny of every session (no cut-off, every resource), so that its own write is not tampering", () => {
    const followDeny = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'KeystopRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    expect(isKeystopDenyDocument(followDeny)).toBe(true);
    expect(isKeystopDenyDocument(withStatement({ Condition: undefined, Resource: '*' }))).toBe(true);
  });

  it.each([
    ['another statement id', { Sid: 'Attacker' }],
    ['an Allow', { Effect: 'Allow' }],
    ['a deny of some actions only', { Action: 's3:*' }],
    ['a list of actions without *', { Action: ['s3:*', 'iam:*'] }],
    ['no TokenIssueTime cut-off', { Condition: { DateLessThan: {} } }],
    ['a cut-off that is not text', { Condition: { DateLessThan: { 'aws:TokenIssueTime': 1 } } }],
    ['no condition, on some resources only', { Condition: undefined, Resource: 'arn:aws:s3:::bucket/*' }],
    ['another condition', { Condition: { DateGreaterThan: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } } }],
  ])('does not take a document with %s for it', (_, changes) => {
    expect(isKeystopDenyDocument(withStatement(changes))).toBe(false);
  });

  it('does not take what is not a policy document for it', () => {
    expect(isKeystopDenyDocument(undefined)).toBe(false);
    expect(isKeystopDenyDocument({ Statement: [statement] })).toBe(false);
    // Only text is a document: a list holding the text (whose String() is the text) is not.
    expect(isKeystopDenyDocument([deny])).toBe(false);
    expect(isKeystopDenyDocument('not json %')).toBe(false);
    expect(isKeystopDenyDocument('{}')).toBe(false);
    expect(isKeystopDenyDocument('null')).toBe(false);
  });
});

describe('Reading a policy document as CloudTrail records it', () => {
  it('parses JSON, then URL-encoded JSON, and answers undefined for anything else', () => {
    expect(parsePolicyDocument('{"a":1}')).toEqual({ a: 1 });
    expect(parsePolicyDocument('%7B%22a%22%3A1%7D')).toEqual({ a: 1 });
    expect(parsePolicyDocument('%E0%A4%A')).toBeUndefined();
    expect(parsePolicyDocument('{')).toBeUndefined();
  });
});
