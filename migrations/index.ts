import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000_core } from './Migration20261123000000_core.js';

/** Applied in this order; a new migration is appended here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123000000_core', class: Migration20261123000000_core },
];
