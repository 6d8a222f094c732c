import { Config, settingInfo } from './Config';
import { paramSettings } from './checkParams';
import { settingDocs } from './settingDocs';

const cell = (text: string) => text.replace(/\|/g, '\\|');
/** Every setting is described in settingDocs.ts; a missing one stops the table (and its test). */
function docsOf(key: string): string {
  const docs = settingDocs[key];
  if (docs === undefined) throw new Error(`src/aws/settingDocs.ts says nothing about ${key}`);
  return `${cell(docs.form)} | ${cell(docs.meaning)}`;
}
const code = (text: string | undefined) => (text === undefined ? '—' : text === '' ? 'empty' : `\`${text}\``);

/** Pure: the settings table of docs/settings.md, generated from the settings schema (a test keeps them equal). */
export function settingsTable(): string {
  const rows = paramSettings().map(
    (s) => `| \`${s.param}\` | ${s.env ? `\`${s.env}\`` : '— (package time)'} | ${code(s.default)} | ${docsOf(s.param)} |`,
  );
  // What the stack or Lambda sets, not a param: documented for people who read a function's environment.
  const stackSet = Object.entries(Config.shape)
    .filter(([env]) => env in settingDocs && !paramSettings().some((s) => s.env === env))
    .map(([env, schema]) => {
      const fallback = settingInfo.get(schema)?.default;
      return `| — | \`${env}\` | ${fallback === undefined ? 'set by the stack' : code(fallback)} | ${docsOf(env)} |`;
    });
  return ['| Param | Environment variable | Default | Allowed | Meaning |', '| --- | --- | --- | --- | --- |', ...rows, ...stackSet].join(
    '\n',
  );
}

export const SETTINGS_TABLE_START = '<!-- settings:start (generated from src/aws/Config.ts: npx tsx scripts/writeSettingsTable.ts) -->';
export const SETTINGS_TABLE_END = '<!-- settings:end -->';
