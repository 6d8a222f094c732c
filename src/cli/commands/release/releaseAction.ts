import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isAccessKeyId } from '../../../domain/identifiers';
import { type ReleaseTarget, releaseContainment } from '../../../respond/releaseContainment';
import { cliDeps, topicArnOf } from '../../operator/cliDeps';
import { compareWithDeployment } from '../../operator/compareDeployed';
import { operatorStore } from '../../operator/operatorStore';
import { reportResponses } from '../../operator/reportResponses';
import { resolveAws } from '../../operator/resolveAws';
import { decisionSettings } from '../../settings/decisionSettings';
import { UsageError } from '../../UsageError';
import type { ReleaseOptions } from './releaseCommand';

/** Exactly one of --incident, --access-key, --user, --role; checked before any AWS call. */
function releaseTarget(options: ReleaseOptions): ReleaseTarget {
  const given = [options.incident, options.accessKey, options.user, options.role].filter((v) => v !== undefined);
  if (given.length !== 1) throw new UsageError('name exactly one of --incident, --access-key, --user, --role');
  if (options.reason.trim() === '') throw new UsageError('--reason must say why: it is recorded and alerted');
  if (options.incident !== undefined) return { incidentId: options.incident };
  if (options.accessKey !== undefined) {
    if (!isAccessKeyId(options.accessKey))
      throw new UsageError(`--access-key ${JSON.stringify(options.accessKey)} is not an access key id`);
    return { accessKeyId: options.accessKey };
  }
  return options.user !== undefined
    ? { principal: { kind: 'user', name: options.user } }
    : { principal: { kind: 'role', name: options.role! } };
}

/** `keystop release`: with the responder's own credentials, so CloudTrail shows who undid the containment. */
export async function releaseAction(options: ReleaseOptions): Promise<void> {
  const target = releaseTarget(options);
  topicArnOf(options);
  const settings = await decisionSettings({ stage: options.stage });
  const { store, accountId, onTable } = await operatorStore(options);
  await compareWithDeployment(options, settings);
  const { deps, printedAlerts } = await cliDeps(options, settings);
  const { Arn = 'unknown caller' } = await new STSClient(await resolveAws(options)).send(new GetCallerIdentityCommand({}));
  await reportResponses(
    () => onTable(() => releaseContainment(target, { accountId, by: Arn, reason: options.reason }, { ...deps, state: store })),
    { json: options.json, printedAlerts },
  );
}
