import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { reportingSteps } from '../../../actions/ContainmentAction';
import { systemClock } from '../../../aws/clock';
import type { IncidentResponse } from '../../../domain/IncidentResponse';
import { selftestFinding } from './selftestFinding';

interface SelftestCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface SelftestReport {
  ok: boolean;
  functionName: string;
  checks: SelftestCheck[];
}

/**
 * Sends a sample GuardDuty finding straight to the deployed GuardDuty function and checks what it answered: it parsed
 * the finding, held containment back because it is a sample, and published the alert to its topic. Invoked directly
 * (lambda:InvokeFunction) because EventBridge refuses `aws.*` sources from PutEvents, and GuardDuty's own
 * CreateSampleFindings reaches EventBridge only minutes later and answers nothing back (docs/deploy.md shows it for
 * checking the rule itself).
 */
export async function runSelftest(
  lambda: LambdaClient,
  { functionName, accountId, region }: { functionName: string; accountId: string; region: string },
): Promise<SelftestReport> {
  const event = selftestFinding(accountId, region, systemClock.now());
  const { FunctionError, Payload, StatusCode } = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: JSON.stringify(event) }),
  );
  const answer = Payload ? new TextDecoder().decode(Payload) : '';
  const checks: SelftestCheck[] = [];
  const invoked = StatusCode === 200 && FunctionError === undefined;
  checks.push({
    check: 'the function ran the finding through its pipeline',
    ok: invoked,
    detail: invoked ? `${functionName} answered` : `${functionName} failed (${FunctionError ?? `HTTP ${StatusCode}`}): ${answer}`,
  });
  if (!invoked) return { ok: false, functionName, checks };
  const [response] = JSON.parse(answer) as IncidentResponse[];
  const held = response?.outcome === 'notified' && response.reason === 'sample-finding';
  checks.push({
    check: 'it recognised a sample finding and changed nothing',
    ok: held && !response.actions.some((a) => !(reportingSteps as readonly string[]).includes(a.type) && a.status === 'done'),
    detail: response ? `outcome ${response.outcome}, reason ${response.reason}` : 'no response',
  });
  const notified = response?.actions.find((a) => a.type === 'notify');
  checks.push({
    check: 'it published the alert',
    ok: notified?.status === 'done',
    detail: notified ? `${notified.status}: ${notified.target} (${notified.reason})` : 'no notification in the response',
  });
  checks.push({
    check: 'the alert is about this self-test',
    ok: response?.incident?.origin.findingId === event.detail.id,
    detail: `finding ${event.detail.id}: look for "Keystop self-test" at the topic's subscribers`,
  });
  return { ok: checks.every((c) => c.ok), functionName, checks };
}
