import { resolve } from 'node:path';
import { checkParams, paramSettings } from '../../aws/checkParams';
import { readSettingsFile, settingsFilePath, stageSettingsOf } from '../../aws/settingsFile';
import { packageRoot } from '../packageRoot';
import { UsageError } from '../UsageError';

/** Where a command's settings come from, besides its flags and the environment (which override them). */
export interface StageSettings {
  /** The stage named with --stage; undefined: no settings file was read. */
  stage?: string;
  /** The stage's settings as the functions' environment variables hold them (KEYSTOP_DRY_RUN: 'true', …). */
  env: Record<string, string>;
  /** The stage's policiesFile, resolved against the folder of serverless.yml as osls resolves it. */
  policiesFile?: string;
  /** For people: where the settings came from, e.g. "stage prod of /…/keystop.settings.yml". */
  source: string;
}

const STAGE = /^[\w.-]{1,64}$/;

/**
 * The settings `osls deploy --stage <stage>` deploys (keystop.settings.yml's stage over its default: block; a missing
 * file or stage means the defaults), checked with the package-time check, so the CLI answers for that deployment.
 */
export function stageSettings(stage: string | undefined): StageSettings {
  if (stage === undefined) {
    return { env: {}, source: 'flags, environment and defaults (no --stage: keystop.settings.yml not read)' };
  }
  if (!STAGE.test(stage)) throw new UsageError(`--stage ${JSON.stringify(stage)} is not a stage name`);
  const root = packageRoot();
  let file: ReturnType<typeof readSettingsFile>;
  try {
    file = readSettingsFile(settingsFilePath(root));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const params = stageSettingsOf(file, stage);
  const problems = checkParams(params);
  if (problems.length > 0) throw new UsageError(`stage ${stage} of ${file.path}:\n${problems.join('\n')}`);
  const env: Record<string, string> = {};
  let policiesFile: string | undefined;
  for (const s of paramSettings()) {
    if (!(s.param in params)) continue;
    if (s.env) env[s.env] = String(params[s.param]);
    else if (s.param === 'policiesFile') policiesFile = resolve(root, String(params[s.param]));
  }
  const source = !file.found
    ? `stage ${stage}: the defaults (no ${file.path})`
    : stage in file.stages || 'default' in file.stages
      ? `stage ${stage} of ${file.path}`
      : `stage ${stage}: the defaults (not in ${file.path})`;
  return { stage, env, ...(policiesFile ? { policiesFile } : {}), source };
}
