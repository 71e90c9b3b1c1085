import type { AnyEntity, EntityClass } from '@mikro-orm/core';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import { migrationsList } from '../../../migrations/index.js';
import { requestLogStore } from '../observability/logger.js';
import { DeferredBeginPostgreSqlDriver } from './deferred-begin.js';
import { TenantStampSubscriber, tenantFilter } from '../tenancy/tenant-filter.js';

export interface OrmOptions {
  clientUrl: string;
  poolMax?: number;
  debug?: boolean;
  entities: EntityClass<AnyEntity>[];
}

/** Builds the ORM options for one connection URL: what `mikro-orm.config.ts` provides to the app. */
export type OrmConfigFactory = (connection: { clientUrl: string; poolMax?: number }) => Options;

/** One ORM configuration for the app, the migrator, the seeder and the CLI. */
export function ormOptions({ clientUrl, poolMax = 10, debug = false, entities }: OrmOptions): Options {
  return defineConfig({
    clientUrl,
    // BEGIN travels with the tenant session's `set local` (one round trip): see deferred-begin.ts.
    driver: DeferredBeginPostgreSqlDriver,
    entities,
    extensions: [Migrator, SeedManager],
    filters: { tenant: tenantFilter },
    subscribers: [new TenantStampSubscriber()],
    pool: { min: 0, max: poolMax },
    debug,
    // Schema is owned by hand-written migrations (RLS, composite keys); never diffed from entities.
    migrations: { migrationsList, transactional: true, allOrNothing: true, silent: true, snapshot: false },
    seeder: { path: 'dist/seeds', pathTs: 'seeds' },
    forceUtcTimezone: true,
    onQuery: (sql: string) => {
      const request = requestLogStore.getStore();
      if (request) request.sql_statements = (request.sql_statements ?? 0) + 1;
      return sql;
    },
    allowGlobalContext: false,
    ensureDatabase: false,
  });
}
