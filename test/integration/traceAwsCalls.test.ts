import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ListAccessKeysCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { type AwsCallSubsegment, sampledTraceOf, traceAwsCalls } from '../../src/aws/traceAwsCalls';
import { localClients } from '../../src/local/localClients';
import { awsEndpoint } from '../support/localAws';

const TRACE_ID = '1-6745ad2b-5d1c2e9f8a7b6c5d4e3f2a1b';
const PARENT_ID = '53995c3f42cd8ad8';

/** A stand-in for the X-Ray daemon Lambda runs: a UDP socket on loopback that keeps what it receives. */
async function xrayDaemon() {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    /** The next datagram: the protocol's header line and the document. */
    async next(): Promise<{ header: unknown; document: AwsCallSubsegment }> {
      const [message] = (await once(socket, 'message')) as [Buffer];
      const [header, document] = message.toString('utf8').split('\n');
      return { header: JSON.parse(header!), document: JSON.parse(document!) };
    },
    close: () => socket.close(),
  };
}

describe('X-Ray subsegments for AWS calls (tracing: true), against the emulator', () => {
  it('sends one subsegment per call to the daemon, under the invocation sampled by Lambda, failures marked', async () => {
    const daemon = await xrayDaemon();
    const env = { _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=${PARENT_ID};Sampled=1`, AWS_XRAY_DAEMON_ADDRESS: daemon.address };
    const iam = traceAwsCalls(localClients(awsEndpoint()).iam, { env });

    try {
      const first = daemon.next();
      await iam.send(new ListUsersCommand({}));
      const ok = await first;
      const second = daemon.next();
      await expect(iam.send(new ListAccessKeysCommand({ UserName: 'keystop-no-such-user' }))).rejects.toMatchObject({
        name: 'NoSuchEntityException',
      });
      const failed = await second;

      expect(ok.header).toEqual({ format: 'json', version: 1 });
      expect(ok.document).toMatchObject({
        type: 'subsegment',
        trace_id: TRACE_ID,
        parent_id: PARENT_ID,
        name: 'IAM',
        namespace: 'aws',
        aws: { operation: 'ListUsers', region: 'us-east-1' },
        http: { response: { status: 200 } },
      });
      expect(ok.document.id).toMatch(/^[0-9a-f]{16}$/);
      expect(ok.document.end_time).toBeGreaterThanOrEqual(ok.document.start_time);
      expect(ok.document.error ?? ok.document.fault).toBeUndefined();
      expect(failed.document).toMatchObject({ aws: { operation: 'ListAccessKeys' }, http: { response: { status: 404 } }, error: true });
      expect(failed.document.id).not.toBe(ok.document.id);
    } finally {
      daemon.close();
    }
  });

  it('sends nothing when the invocation is not sampled (tracing off), and the call is made all the same', async () => {
    const sent: string[] = [];
    const env = { _X_AMZN_TRACE_ID: `Root=${TRACE_ID};Parent=${PARENT_ID};Sampled=0`, AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' };
    const iam = traceAwsCalls(localClients(awsEndpoint()).iam, { env, send: (datagram) => sent.push(datagram) });

    const { Users } = await iam.send(new ListUsersCommand({}));

    expect(Users).toBeDefined();
    expect(sent).toEqual([]);
  });

  it('reads the trace only from a sampled header with a root and a parent', () => {
    expect(sampledTraceOf(`Root=${TRACE_ID};Parent=${PARENT_ID};Sampled=1;Lineage=a:1`)).toEqual({
      traceId: TRACE_ID,
      parentId: PARENT_ID,
    });
    expect(sampledTraceOf(`Root=${TRACE_ID};Sampled=1`)).toBeUndefined();
    expect(sampledTraceOf(undefined)).toBeUndefined();
  });
});
