import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { ormOptions } from './orm-options.js';

/** Applies pending migrations as the owner role; returns the names applied. */
export async function runMigrations(migratorUrl: string, log: Logger): Promise<string[]> {
  const orm = await MikroORM.init(ormOptions({ clientUrl: migratorUrl, poolMax: 2 }));
  try {
    const applied = await orm.migrator.up();
    const names = applied.map((migration) => migration.name);
    log.info({ applied: names }, names.length ? 'migrations applied' : 'database schema is up to date');
    return names;
  } finally {
    await orm.close(true);
  }
}
