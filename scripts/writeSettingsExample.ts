// Writes keystop.settings.example.yml from the settings schema: npx tsx scripts/writeSettingsExample.ts
// (test/unit/settingsTable.test.ts fails when the example and the schema disagree).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsExample } from '../src/aws/settingsExample';

writeFileSync(join(import.meta.dirname, '..', 'keystop.settings.example.yml'), settingsExample());
