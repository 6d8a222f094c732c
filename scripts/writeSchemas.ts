// Writes the JSON Schemas of the published documents from their zod schemas: npx tsx scripts/writeSchemas.ts
// (test/unit/publishedSchemas.test.ts fails when docs/ and the code disagree).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedSchemas } from '../src/report/publishedSchemas';

for (const [file, schema] of Object.entries(publishedSchemas())) {
  writeFileSync(join(import.meta.dirname, '..', 'docs', file), `${JSON.stringify(schema, null, 2)}\n`);
}
