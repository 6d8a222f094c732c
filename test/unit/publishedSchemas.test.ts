import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedSchemas } from '../../src/report/publishedSchemas';

describe('Published schemas in docs/', () => {
  it.each(Object.entries(publishedSchemas()))(
    '%s is the schema the code validates against (regenerate: npx tsx scripts/writeSchemas.ts)',
    (file, schema) => {
      const published = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', file), 'utf8'));
      expect(published).toEqual(schema);
    },
  );
});
