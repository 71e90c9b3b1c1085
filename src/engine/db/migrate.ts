import { MikroORM } from '@mikro-orm/postgresql';
import { Logger as GraphileLogger, runMigrations as migrateJobQueue } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { APP_ROLE } from './bootstrap.js';
import type { OrmConfigFactory } from './orm-options.js';

/**
 * Applies our migrations, then installs or upgrades graphile-worker's schema, as the owner role;
 * the app role gets what it needs to enqueue jobs in its own transactions and to run workers.
 */
export async function runMigrations(ormConfig: OrmConfigFactory, migratorUrl: string, log: Logger): Promise<string[]> {
  const orm = await MikroORM.init(ormConfig({ clientUrl: migratorUrl, poolMax: 2 }));
  let names: string[];
  try {
    names = (await orm.migrator.up()).map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
  const quiet = new GraphileLogger(() => (level, message) => {
    if (level === 'error') log.error(message);
  });
  await migrateJobQueue({ connectionString: migratorUrl, logger: quiet });
  const owner = new pg.Client({ connectionString: migratorUrl });
  await owner.connect();
  try {
    await owner.query(`grant usage on schema graphile_worker to ${APP_ROLE};
      grant select, insert, update, delete on all tables in schema graphile_worker to ${APP_ROLE};
      grant usage, select on all sequences in schema graphile_worker to ${APP_ROLE};
      grant execute on all functions in schema graphile_worker to ${APP_ROLE}`);
    // graphile-worker turns RLS on for its private tables (only their owner may touch them); the
    // queue holds no tenant rows, so the app role gets an explicit all-rows policy there.
    await owner.query(`do $$
      declare t record;
      begin
        for t in select c.relname from pg_class c
                 where c.relnamespace = 'graphile_worker'::regnamespace and c.relkind = 'r' and c.relrowsecurity loop
          execute format('drop policy if exists tessera_app_queue on graphile_worker.%I', t.relname);
          execute format('create policy tessera_app_queue on graphile_worker.%I to ${APP_ROLE} using (true) with check (true)', t.relname);
        end loop;
      end $$`);
  } finally {
    await owner.end();
  }
  log.info({ applied: names }, names.length ? 'migrations applied' : 'database schema is up to date');
  return names;
}
