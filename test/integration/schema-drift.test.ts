import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { printSchemaSource, SCHEMA_FILE } from '../../src/engine/graphql/schema-file.js';
import { modules } from '../../src/modules/index.js';

describe('schema/schema.graphql', () => {
  it('is exactly what the code emits (run `npm run schema:emit` after changing the API)', async () => {
    const checkedIn = await readFile(SCHEMA_FILE, 'utf8');
    expect(checkedIn).to.equal(await printSchemaSource(modules));
  });
});
