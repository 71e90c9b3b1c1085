import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { printSchemaSource, SCHEMA_FILE } from '../engine/graphql/schema-file.js';
import { modules } from '../modules/index.js';

/** `npm run schema:emit`: writes schema/schema.graphql from the code. */
await writeFile(SCHEMA_FILE, await printSchemaSource(modules));
console.log(`wrote ${SCHEMA_FILE}`);
