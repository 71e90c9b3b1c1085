import pg from 'pg';
import { migrationsList } from '../migrations/index.js';
import { dropDatabase, prepareDatabase, withDatabase, type DatabaseUrls } from '../src/engine/db/bootstrap.js';
import type { Logger } from '../src/engine/observability/logger.js';
import { deleteRunRows, SEED_FINGERPRINT, seedDataset } from './seed.js';
import { migrate } from '../src/app.js';

/*
 * prepareDatabase sets the passwords of the cluster-wide roles tessera_owner/tessera_app. The test
 * suite uses this one, so a benchmark and a test run can share a PostgreSQL server without locking
 * each other out. Loopback benchmark and test clusters only.
 */
export const ROLE_PASSWORD = 'tessera-test-only';

export interface SeededDatabase extends DatabaseUrls {
  /** Superuser URL of the seeded database itself (seeding, cleanup, counters). */
  adminDatabaseUrl: string;
  reused: boolean;
}

export interface SeedRequest {
  /** Superuser URL of any database of the server. */
  adminUrl: string;
  database: string;
  tenants: number;
  log: Logger;
  /** Extra rows for one use (e.g. the anchor's service users), part of the reuse key. */
  extra?: { key: string; apply(admin: pg.Client): Promise<void> };
}

/**
 * A migrated database holding the benchmark dataset. It is reused when its marker (a comment on
 * the database: tenants, seed and migrations) matches, after deleting rows an earlier run created;
 * otherwise it is dropped and seeded again (about a minute for 1,000 tenants).
 */
export async function ensureSeededDatabase(request: SeedRequest): Promise<SeededDatabase> {
  const { adminUrl, database, tenants, log, extra } = request;
  const marker = `tessera-bench ${JSON.stringify({
    tenants,
    seed: SEED_FINGERPRINT,
    migrations: migrationsList.map((migration) => migration.name),
    extra: extra?.key ?? null,
  })}`;
  const existing = await databaseComment(adminUrl, database);
  const reused = existing === marker;
  if (existing !== undefined && !reused) {
    log.info({ database }, 'benchmark database is stale or partly seeded: recreating it');
    await dropDatabase(adminUrl, database);
  }
  const urls = await prepareDatabase(adminUrl, database, ROLE_PASSWORD);
  const adminDatabaseUrl = withDatabase(adminUrl, database);
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    if (reused) {
      const deleted = await deleteRunRows(admin);
      log.info({ database, tenants, deleted }, 'reusing the seeded benchmark database');
    } else {
      await migrate(urls.migratorUrl, log);
      const startedAt = Date.now();
      log.info({ database, tenants }, 'seeding the benchmark database');
      await seedDataset(admin, tenants);
      await extra?.apply(admin);
      await admin.query('analyze');
      await admin.query(`comment on database ${admin.escapeIdentifier(database)} is ${admin.escapeLiteral(marker)}`);
      log.info({ database, seconds: Math.round((Date.now() - startedAt) / 1000) }, 'seeded');
    }
  } finally {
    await admin.end();
  }
  return { ...urls, adminDatabaseUrl, reused };
}

/** The database's comment, '' when it has none, undefined when it does not exist. */
async function databaseComment(adminUrl: string, database: string): Promise<string | undefined> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
      [database],
    );
    const [row] = rows;
    return row === undefined ? undefined : (row.comment ?? '');
  } finally {
    await admin.end();
  }
}
