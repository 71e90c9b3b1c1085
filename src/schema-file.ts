import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildTypeSchema } from './schema.js';

export const SCHEMA_FILE = 'schema/schema.graphql';

/** The checked-in SDL: sorted, so that it changes only when the API does. */
export async function printSchemaSource(): Promise<string> {
  const header = '# Emitted from the code by `npm run schema:emit`; a test fails when this file drifts.\n\n';
  return header + printSchema(lexicographicSortSchema(await buildTypeSchema())) + '\n';
}
