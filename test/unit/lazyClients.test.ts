import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { type Clients, createClients } from '../../src/aws/createClients';
import { createDeps } from '../../src/aws/createDeps';
import { noGuardrails } from '../../src/decide/Guardrails';
import { formatFailureAlert } from '../../src/report/notify/formatFailureAlert';

const region = 'us-east-1';

/** Clients as createClients makes them, noting which of the lazily built ones were asked for. */
function recordingClients() {
  const made = createClients({ region });
  const asked: string[] = [];
  const sns = new SNSClient({ region });
  const clients: Clients = {
    ...made,
    iam: new IAMClient({ region }),
    dynamodb: new DynamoDBClient({ region }),
    get sns() {
      asked.push('sns');
      return sns;
    },
    get sts() {
      asked.push('sts');
      return new STSClient({ region });
    },
  };
  return { clients, asked, sns };
}

describe('Clients used only after containment are built at their first use, not at cold start', () => {
  it('builds each of SNS and STS once, when it is first asked for', () => {
    const clients = createClients({ region });

    expect(clients.sns).toBe(clients.sns);
    expect(clients.sts).toBe(clients.sts);
    expect(clients.sns).toBeInstanceOf(SNSClient);
  });

  it('builds deps without an SNS or STS client; the first alert asks for SNS', async () => {
    const { clients, asked, sns } = recordingClients();
    mockClient(sns).on(PublishCommand).resolves({ MessageId: 'm1' });

    const deps = createDeps({
      region,
      clients,
      topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      accountId: '123456789012',
      memberRole: { name: 'KeystopMember', externalId: 'ext' },
      guardrails: noGuardrails,
    });

    expect(asked).toEqual([]);
    await deps.notifier.publish(formatFailureAlert('boom', 'r1'));
    expect(asked).toEqual(['sns']);
  });
});
