import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from '../zod';
import type { ParamValue } from './resolveParams';

/** The operator's settings, by stage, beside serverless.yml: git-ignored, so an upgrade (`git pull`) never touches it. */
const SETTINGS_FILE = 'keystop.settings.yml';

const StageBlock = z.nullable(z.record(z.string(), z.nullable(z.union([z.string(), z.number(), z.boolean()]))));
const SettingsDocument = z.nullable(z.record(z.string(), StageBlock));

export interface SettingsFile {
  /** The file read, or looked for. */
  path: string;
  /** False when there is no such file: every stage then deploys with the defaults. */
  found: boolean;
  stages: Record<string, Record<string, ParamValue>>;
}

/** Where the settings are: $KEYSTOP_SETTINGS_FILE (tests point it elsewhere), else keystop.settings.yml in `dir`. */
export function settingsFilePath(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.KEYSTOP_SETTINGS_FILE || join(dir, SETTINGS_FILE);
}

/** Reads the settings file; a missing file is no settings, a malformed one an error naming the file and the line. */
export function readSettingsFile(path: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, found: false, stages: {} };
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${path} is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = SettingsDocument.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${path}: expected stages, each a map of settings to plain values (prod: { dryRun: true }), at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`,
    );
  }
  const stages = Object.fromEntries(
    Object.entries(parsed.data ?? {}).map(([stage, block]) => [
      stage,
      Object.fromEntries(Object.entries(block ?? {}).filter((entry): entry is [string, ParamValue] => entry[1] !== null)),
    ]),
  );
  return { path, found: true, stages };
}

/** Pure: the settings a stage takes from the file, its `default:` block under its own. */
export function stageSettingsOf(file: SettingsFile, stage: string): Record<string, ParamValue> {
  return { ...file.stages.default, ...file.stages[stage] };
}
