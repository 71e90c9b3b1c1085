import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DUMMY_PASSWORD_HASH } from '../../src/engine/identity/passwords.js';
import { withDatabase } from '../../src/engine/db/bootstrap.js';
import { createLogger } from '../../src/engine/observability/logger.js';
import { ensureSeededDatabase } from '../database.js';
import { assertSameData } from './same-data.js';

const MAIN_SCRIPT = fileURLToPath(new URL('../../src/main.js', import.meta.url));

/*
 * The anchor's load generator signs one token per tenant from claim templates that only know
 * $tenantId and $slug. Our tokens name a user (sub) who must be a member of the tenant (tid), so
 * every tenant gets a service user whose id is the tenant id, with a MANAGER membership (Q3
 * assigns tasks to other members, which takes MANAGER).
 */
const SERVICE_USERS: readonly [insertUsers: string, insertMemberships: string] = [
  `insert into users (id, email, name, password_hash, created_at)
   select t.id, 'bench-service@' || t.slug || '.example', 'Bench service of ' || t.name, $1::text, t.created_at from tenants t`,
  `insert into memberships (tenant_id, id, user_id, role, created_at)
   select t.id, md5('service-membership-' || t.slug)::uuid, t.id, 'MANAGER', t.created_at from tenants t`,
];

/**
 * Makes Tessera measurable by the anchor benchmark's harness (an external checkout, copied to `--work`):
 * database `tessera` in the anchor's cluster with our migrations and roles, the anchor's seeded
 * data with the same ids (checked), and our profile and documents rendered into the copy.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      work: { type: 'string' },
      repo: { type: 'string' },
      'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:55432/postgres' },
      'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    },
  });
  if (!values.work || !values.repo) throw new Error('usage: prepare.js --work <anchor copy> --repo <tessera checkout>');
  const log = createLogger(process.env.LOG_LEVEL ?? 'info');
  const adminUrl = values['admin-url'];
  const anchorUrl = withDatabase(adminUrl, 'bench');
  const tenants = await anchorTenantCount(anchorUrl);
  const db = await ensureSeededDatabase({
    adminUrl,
    database: 'tessera',
    tenants,
    log,
    extra: {
      key: 'anchor-service-users-1',
      async apply(admin) {
        await admin.query(SERVICE_USERS[0], [DUMMY_PASSWORD_HASH]);
        await admin.query(SERVICE_USERS[1]);
      },
    },
  });
  await assertSameData(anchorUrl, db.adminDatabaseUrl);
  log.info({ tenants }, 'tessera database holds the anchor data with the same ids');

  const jwtSecret = randomBytes(32).toString('hex');
  // tessera.json, and tessera-unmetered.json (the same gateway without API-call metering, for its cost).
  for (const file of readdirSync(join(values.repo, 'bench/anchor')).filter((name) => /^tessera.*\.json$/.test(name))) {
    const template = readFileSync(join(values.repo, 'bench/anchor', file), 'utf8');
    const profile = Object.entries({
      __JWT_SECRET__: jwtSecret,
      __MAIN_SCRIPT__: MAIN_SCRIPT,
      __DATABASE_URL__: db.appUrl,
      __DATABASE_MIGRATOR_URL__: db.migratorUrl,
      __REDIS_URL__: values['redis-url'],
    }).reduce((text, [placeholder, value]) => text.replaceAll(placeholder, value), template);
    writeFileSync(join(values.work, 'profiles', file), profile);
  }
  const queries = join(values.work, 'queries/tessera');
  mkdirSync(queries, { recursive: true });
  for (const file of readdirSync(join(values.repo, 'bench/anchor/queries'))) {
    copyFileSync(join(values.repo, 'bench/anchor/queries', file), join(queries, file));
  }
  log.info({ profiles: join(values.work, 'profiles') }, 'profiles written');
}

async function anchorTenantCount(anchorUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: anchorUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>('select count(*) from tenants');
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
