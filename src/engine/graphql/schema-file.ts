import { lexicographicSortSchema, printSchema } from 'graphql';
import type { TesseraModule } from '../module.js';
import { buildTypeSchema } from './schema.js';

export const SCHEMA_FILE = 'schema/schema.graphql';

/** The checked-in SDL: sorted, so that it changes only when the API does. */
export async function printSchemaSource(modules: readonly TesseraModule[]): Promise<string> {
  const header = '# Emitted from the code by `npm run schema:emit`; a test fails when this file drifts.\n\n';
  return header + printSchema(lexicographicSortSchema(await buildTypeSchema(modules))) + '\n';
}
