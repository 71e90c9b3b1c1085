import type { AnyEntity, EntityClass } from '@mikro-orm/core';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import { releaseDroppedConnections } from './pool-guard.js';
import { migrationsList } from '../../../migrations/index.js';
import { requestLogStore } from '../observability/logger.js';
import { DeferredBeginPostgreSqlDriver } from './deferred-begin.js';
import { TenantStampSubscriber, tenantFilter } from '../tenancy/tenant-filter.js';

/** Time limits of the app role's pooled sessions (absent for the migrator and the CLI). */
export interface SessionLimits {
  /** How long to wait for a pooled connection before failing (pg-pool's `connectionTimeoutMillis`). */
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export interface OrmOptions {
  clientUrl: string;
  poolMax?: number;
  limits?: SessionLimits;
  debug?: boolean;
  entities: EntityClass<AnyEntity>[];
}

/** Builds the ORM options for one connection URL: what `mikro-orm.config.ts` provides to the app. */
export type OrmConfigFactory = (connection: { clientUrl: string; poolMax?: number; limits?: SessionLimits }) => Options;

/** One ORM configuration for the app, the migrator, the seeder and the CLI. */
export function ormOptions({ clientUrl, poolMax = 10, limits, debug = false, entities }: OrmOptions): Options {
  return defineConfig({
    clientUrl,
    // BEGIN travels with the tenant session's `set local` (one round trip): see deferred-begin.ts.
    driver: DeferredBeginPostgreSqlDriver,
    entities,
    extensions: [Migrator, SeedManager],
    filters: { tenant: tenantFilter },
    subscribers: [new TenantStampSubscriber()],
    pool: { min: 0, max: poolMax },
    // A full pool answers in time instead of queueing forever (and a PostgreSQL that is down or
    // restarting fails the connection attempt in time too); runaway statements and abandoned
    // transactions are ended by PostgreSQL (pg sends both as startup parameters of each session);
    // a dropped connection frees its pool slot, so the pool recovers when PostgreSQL is back.
    driverOptions: {
      connectionTimeoutMillis: limits?.acquireTimeoutMs ?? 2_000,
      onPoolCreated: releaseDroppedConnections,
      ...(limits && {
        statement_timeout: limits.statementTimeoutMs,
        idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
      }),
    },
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
