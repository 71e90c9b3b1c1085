import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { printSchemaSource, SCHEMA_FILE } from '../schema-file.js';

/** `npm run schema:emit`: writes schema/schema.graphql from the code. */
await writeFile(SCHEMA_FILE, await printSchemaSource());
console.log(`wrote ${SCHEMA_FILE}`);
