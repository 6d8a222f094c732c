import { Config, settingInfo } from './Config';
import { paramSettings } from './checkParams';

const cell = (text: string) => text.replace(/\|/g, '\\|');
const code = (text: string | undefined) => (text === undefined ? '—' : text === '' ? 'empty' : `\`${text}\``);

/** Pure: the settings table of docs/settings.md, generated from the settings schema (a test keeps them equal). */
export function settingsTable(): string {
  const rows = paramSettings().map(
    (s) => `| \`${s.param}\` | ${s.env ? `\`${s.env}\`` : '— (package time)'} | ${code(s.default)} | ${cell(s.form)} | ${cell(s.meaning)} |`,
  );
  const stackSet = Object.entries(Config.shape).flatMap(([env, schema]) => {
    const info = settingInfo.get(schema);
    return info && !info.param ? [`| — | \`${env}\` | ${info.default === undefined ? 'set by the stack' : code(info.default)} | ${cell(info.form)} | ${cell(info.meaning)} |`] : [];
  });
  return [
    '| Param | Environment variable | Default | Allowed | Meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    ...stackSet,
  ].join('\n');
}

export const SETTINGS_TABLE_START = '<!-- settings:start (generated from src/aws/Config.ts: npx tsx scripts/writeSettingsTable.ts) -->';
export const SETTINGS_TABLE_END = '<!-- settings:end -->';
