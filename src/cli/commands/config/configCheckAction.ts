import { dirname, resolve } from 'node:path';
import { readSettingsFile, type SettingsFile, settingsFilePath, stageSettingsOf } from '../../../aws/settingsFile';
import { UsageError } from '../../UsageError';
import type { ConfigCheckOptions } from './configCommand';

/** `keystop config check`: exit 2 when the stage's settings or policy file would not package. */
export async function configCheckAction(options: ConfigCheckOptions): Promise<void> {
  const [{ checkDeployment }, { readService }] = await Promise.all([
    import('../../../aws/checkDeployment'),
    import('../../settings/readServiceParams'),
  ]);
  const service = await readService(options.config);
  // The stage's keystop.settings.yml entry over serverless.yml's params, as deploy/keystopSettings.mjs applies it.
  const settings = readSettings(settingsFilePath(dirname(resolve(options.config))));
  service.params = {
    ...service.params,
    [options.stage]: { ...service.params?.[options.stage], ...stageSettingsOf(settings, options.stage) },
  };
  // A param written as a variable (${env:…}, ${ssm:…}) has its value only when osls resolves it: left to osls package.
  const unresolved: string[] = [];
  const configParams = Object.fromEntries(
    Object.entries(service.params ?? {}).map(([stage, params]) => [
      stage,
      params &&
        Object.fromEntries(
          Object.entries(params).filter(([name, value]) => {
            const variable = typeof value === 'string' && value.includes('${');
            if (variable && (stage === options.stage || stage === 'default')) unresolved.push(`${name} (${String(value)})`);
            return !variable;
          }),
        ),
    ]),
  );
  if (unresolved.length > 0 && !options.json) {
    process.stderr.write(`not checked here, osls package checks their values: ${[...new Set(unresolved)].join(', ')}\n`);
  }
  const result = await checkDeployment({
    configParams,
    service,
    stage: options.stage,
    cliParams: options.param,
    serviceDir: dirname(resolve(options.config)),
  }).catch((error: unknown) => {
    throw new UsageError((error as Error).message);
  });
  const ok = result.problems.length === 0;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ ok, stage: options.stage, problems: result.problems, policiesFile: result.policiesFile, policies: result.policies?.map((p) => p.name) ?? [] })}\n`,
    );
  } else if (ok) {
    process.stdout.write(`stage ${options.stage}: settings valid; ${result.policies!.length} policies from ${result.policiesFile}\n`);
  }
  if (!ok) {
    if (!options.json) process.stderr.write(`stage ${options.stage}: settings invalid:\n${result.problems.join('\n')}\n`);
    process.exitCode = 2;
  }
}

function readSettings(path: string): SettingsFile {
  try {
    return readSettingsFile(path);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
