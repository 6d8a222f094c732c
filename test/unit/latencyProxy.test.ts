import { describe, expect, it } from 'vitest';
import { apiOf, type ProxiedRequest, roundsOf } from '../../bench/latencyProxy';

const request = (api: string, sentAt: number, answeredAt: number): ProxiedRequest => ({ api, sentAt, answeredAt });

describe('Bench: sequential round trips counted from send and answer times', () => {
  it('puts requests sent together, before any answer, in the first round', () => {
    const rounds = roundsOf([request('IAM:ListUserTags', 0, 25), request('DynamoDB:TransactWriteItems', 1, 27)]);

    expect(rounds).toEqual([1, 1]);
  });

  it('starts a new round for a request sent after an answer arrived', () => {
    const rounds = roundsOf([
      request('IAM:ListUserTags', 0, 25),
      request('DynamoDB:TransactWriteItems', 1, 27),
      request('IAM:UpdateAccessKey', 28, 54),
      request('SNS:Publish', 55, 80),
    ]);

    expect(rounds).toEqual([1, 1, 2, 3]);
  });

  it('counts a request that waited only for an early answer in the round after that answer, whatever the order given', () => {
    // The write waited for the tag read (answered at 25) but not for the slow claim (answered at 60).
    const rounds = roundsOf([
      request('IAM:UpdateAccessKey', 26, 52),
      request('DynamoDB:PutItem', 1, 60),
      request('IAM:ListUserTags', 0, 25),
      request('DynamoDB:UpdateItem', 61, 86),
    ]);

    expect(rounds).toEqual([2, 1, 1, 3]);
  });
});

describe('Bench: the API a proxied request calls', () => {
  const signed = (service: string) => ({
    authorization: `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261130/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
  });

  it('reads JSON protocols from X-Amz-Target', () => {
    expect(apiOf({ ...signed('dynamodb'), 'x-amz-target': 'DynamoDB_20120810.TransactWriteItems' }, Buffer.from('{}'), 'POST /')).toBe(
      'DynamoDB:TransactWriteItems',
    );
  });

  it('reads the query protocol from the Action form field', () => {
    const body = Buffer.from('Action=UpdateAccessKey&Version=2010-05-08&UserName=alice&Status=Inactive');

    expect(apiOf(signed('iam'), body, 'POST /')).toBe('IAM:UpdateAccessKey');
    expect(apiOf(signed('sns'), Buffer.from('Action=Publish&TopicArn=x'), 'POST /')).toBe('SNS:Publish');
  });

  it('falls back to the method and path for REST protocols', () => {
    expect(apiOf(signed('securityhub'), Buffer.from('{}'), 'PATCH /findings/batchupdate')).toBe('SECURITYHUB:PATCH /findings/batchupdate');
  });
});
