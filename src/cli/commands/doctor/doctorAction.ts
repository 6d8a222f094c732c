import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { ClientOptions } from '../../../aws/createClients';
import { DEFAULT_EXEMPT_TAG, parseExemptTag } from '../../../decide/Guardrails';
import { readDeployedEnvironment, stackDifferences } from '../../operator/compareDeployed';
import { resolveAws } from '../../operator/resolveAws';
import { stageSettings } from '../../settings/stageSettings';
import { checkExemptTag } from './checkExemptTag';
import type { DoctorOptions } from './doctorCommand';

/** `keystop doctor`: exit 1 when a check warns or cannot tell. */
export async function doctorAction(options: DoctorOptions): Promise<void> {
  if (options.stage !== undefined && !(await deployedAsSettings(await resolveAws(options), options.stage, options.json))) {
    process.exitCode = 1;
  }
  const tag = parseExemptTag(process.env.KEYSTOP_EXEMPT_TAG ?? `${DEFAULT_EXEMPT_TAG.key}=${DEFAULT_EXEMPT_TAG.value}`);
  if (tag === undefined) {
    const detail = 'switched off (KEYSTOP_EXEMPT_TAG is empty), nothing to set';
    process.stdout.write(
      options.json ? `${JSON.stringify({ check: 'exemption-tag', ok: true, detail })}\n` : `ok   exemption tag: ${detail}\n`,
    );
    return;
  }
  const aws = await resolveAws(options);
  const check = await checkExemptTag({ iam: new IAMClient(aws), sts: new STSClient(aws) }, tag, options.principal);
  const label = check.ok === true ? 'ok  ' : check.ok === false ? 'WARN' : '??  ';
  process.stdout.write(
    options.json ? `${JSON.stringify({ check: 'exemption-tag', ...check })}\n` : `${label} exemption tag: ${check.detail}\n`,
  );
  if (check.ok !== true) process.exitCode = 1;
}

/**
 * Every setting of the stage (keystop.settings.yml, else the defaults) against what its deployed functions run with:
 * one line, WARN naming each difference. Flags and environment play no part: this is the file against the stack.
 */
async function deployedAsSettings(aws: ClientOptions, stage: string, json: boolean | undefined): Promise<boolean> {
  const settings = stageSettings(stage);
  const deployed = await readDeployedEnvironment(aws, stage);
  const differences = stackDifferences(deployed, settings.env);
  const ok = differences.length === 0;
  process.stdout.write(
    json
      ? `${JSON.stringify({ check: 'deployed-settings', stage, ok, differences })}\n`
      : ok
        ? `ok   deployed settings: keystop-${stage}-guardduty runs with ${settings.source} (every setting it reads)\n`
        : `WARN deployed settings: keystop-${stage}-guardduty differs from ${settings.source}:\n  ${differences.join('\n  ')}\n`,
  );
  return ok;
}
