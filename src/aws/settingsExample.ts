import { paramSettings } from './checkParams';
import { settingDocs } from './settingDocs';

/** A default as YAML writes it: plain when it reads back as the same string (or number/boolean of it), else quoted. */
function yamlValue(value: string): string {
  return /^(?:[\w./-]+|[\w-]+:[\w-]+=[\w-]+)$/.test(value) && !/^[-.]/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

/**
 * Pure: keystop.settings.example.yml, generated from the settings schema and settingDocs.ts like docs/settings.md's
 * table (a test keeps the committed file equal to it): every param, commented out with its default and meaning.
 */
export function settingsExample(): string {
  const lines = paramSettings().flatMap((s) => {
    const docs = settingDocs[s.param];
    if (docs === undefined) throw new Error(`src/aws/settingDocs.ts says nothing about ${s.param}`);
    return [`  # ${docs.meaning.replace(/`/g, '')} (${docs.form.replace(/`/g, '')})`, `  # ${s.param}: ${yamlValue(s.default ?? '')}`];
  });
  return [
    "# Keystop's settings, by stage. Copy this file to keystop.settings.yml (git-ignored: `git pull` never touches it),",
    '# uncomment what you change; a setting left out takes the default shown.',
    '#   osls package --stage prod / osls deploy --stage prod   deploy stage prod with these settings',
    "#   keystop <command> --stage prod                         answers with them (and checks them against the deployment's)",
    '#   keystop config check --stage prod                      checks them without packaging',
    '# A `default:` block applies to every stage; a stage overrides it; `--param key=value` overrides both for one command.',
    '# Generated from the settings schema (src/aws/Config.ts): npx tsx scripts/writeSettingsExample.ts. Details: docs/settings.md.',
    'prod:',
    ...lines,
    '',
  ].join('\n');
}
