import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { runSelftest } from '../../src/cli/commands/selftest/runSelftest';
import { formatSelftest } from '../../src/cli/format/formatSelftest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../../src/local/localClients';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
import { iamAndSns, localResponder } from '../support/localAws';

const answer = (StatusCode: number, payload: unknown, FunctionError?: string) => ({
  StatusCode,
  FunctionError,
  Payload: new TextEncoder().encode(JSON.stringify(payload)),
});

/**
 * A Lambda client whose Invoke runs the real GuardDuty handler in-process against the emulator. moto cannot run a
 * function without Docker, so only the invocation itself is stood in for; everything the function does is real.
 */
async function deployedFunction() {
  const local = await localResponder();
  const handler = makeHandler(guardDutySource, local.deps);
  const lambda = new LambdaClient({ region: LOCAL_REGION });
  const invoked: unknown[] = [];
  mockClient(lambda)
    .on(InvokeCommand)
    .callsFake(async ({ Payload }) => {
      // The command's input, before the SDK serialises it: the string runSelftest passed.
      const event = JSON.parse(typeof Payload === 'string' ? Payload : new TextDecoder().decode(Payload));
      invoked.push(event);
      try {
        return answer(200, await handler(event, lambdaContext()));
      } catch (error) {
        // What Lambda answers when the handler throws.
        return answer(200, { errorType: (error as Error).name, errorMessage: (error as Error).message }, 'Unhandled');
      }
    });
  return { ...local, lambda, invoked };
}

describe('keystop selftest', () => {
  it('passes when the function alerts on the sample finding and changes nothing', async () => {
    const { lambda, sink, calls, invoked } = await deployedFunction();

    const report = await runSelftest(lambda, { functionName: 'keystop-prod-guardduty', accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION });

    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(invoked).toHaveLength(1);
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    const alerts = await sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain('sample-finding');
    expect(alerts[0]!.text).toContain('Keystop self-test');
    expect(formatSelftest(report)).toContain('selftest passed');
  });

  it('sends a fresh finding each time, so de-duplication never takes a second self-test for the first', async () => {
    const { lambda, invoked } = await deployedFunction();
    const settings = { functionName: 'keystop-prod-guardduty', accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION };

    await runSelftest(lambda, settings);
    await runSelftest(lambda, settings);

    const ids = invoked.map((event: any) => event.detail.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('fails, with what the function said, when the function fails', async () => {
    const lambda = new LambdaClient({ region: LOCAL_REGION });
    mockClient(lambda)
      .on(InvokeCommand)
      .callsFake(async () => answer(200, { errorMessage: 'Keystop is misconfigured: KEYSTOP_ACCOUNT_ID' }, 'Unhandled'));

    const report = await runSelftest(lambda, { functionName: 'keystop-prod-guardduty', accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION });

    expect(report.ok).toBe(false);
    expect(report.checks[0]!.detail).toContain('Keystop is misconfigured: KEYSTOP_ACCOUNT_ID');
    expect(formatSelftest(report)).toContain('selftest FAILED');
  });

  it('fails when the function answers but its alert could not be published', async () => {
    const { lambda, deps } = await deployedFunction();
    deps.notifier.publish = async () => {
      throw new Error('AuthorizationError: not authorized to perform kms:GenerateDataKey');
    };

    const report = await runSelftest(lambda, { functionName: 'keystop-prod-guardduty', accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION });

    expect(report.ok).toBe(false);
    expect(report.checks[0]!.detail).toContain('could not send the alert');
  });
});
