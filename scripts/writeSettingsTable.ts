// Writes the settings table of docs/settings.md from the settings schema: npx tsx scripts/writeSettingsTable.ts
// (test/unit/settingsTable.test.ts fails when the docs and the schema disagree).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS_TABLE_END, SETTINGS_TABLE_START, settingsTable } from '../src/aws/settingsTable';

const file = join(import.meta.dirname, '..', 'docs', 'settings.md');
const text = readFileSync(file, 'utf8');
const start = text.indexOf(SETTINGS_TABLE_START);
const end = text.indexOf(SETTINGS_TABLE_END);
if (start < 0 || end < start) throw new Error(`${file} has no settings markers`);
writeFileSync(file, `${text.slice(0, start + SETTINGS_TABLE_START.length)}\n${settingsTable()}\n${text.slice(end)}`);
