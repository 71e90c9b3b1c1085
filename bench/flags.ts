import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../src/engine/config.js';
import { dropDatabase, prepareDatabase } from '../src/engine/db/bootstrap.js';
import { startEmbeddedPostgres } from '../src/engine/db/embedded.js';
import { createLogger } from '../src/engine/observability/logger.js';
import { inTenantTransaction } from '../src/engine/tenancy/tenant-session.js';
import { Tenant } from '../src/engine/tenancy/tenant.entity.js';
import { PlanCode } from '../src/engine/tenancy/tenant.enums.js';
import { createAppServices, migrate } from '../src/app.js';
import { flagStore } from '../src/modules/flags/flag-store.service.js';

/**
 * `npm run bench:flags`: the cost of a warm `isEnabled` (the flag cache already holds the tenant),
 * which is what a resolver pays per check. The first call loads from a real, migrated database.
 */
const CHECKS = Number(process.env.CHECKS ?? 1_000_000);
const log = createLogger('warn');
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres(join('.tessera', 'bench-pg'), 54349, 'bench', log);
const adminUrl = process.env.DATABASE_URL ?? embedded!.adminUrl;
const database = `tessera_bench_flags_${randomBytes(3).toString('hex')}`;
const urls = await prepareDatabase(adminUrl, database, 'tessera-bench');
await migrate(urls.migratorUrl, log);
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) });
const services = await createAppServices({ config, log, databaseUrl: urls.appUrl, jwtSecret: randomBytes(32).toString('hex') });

const tenant = new Tenant();
const slug = `bench-${randomBytes(3).toString('hex')}`;
Object.assign(tenant, { name: slug, slug, subdomain: slug, plan: PlanCode.PRO });
await inTenantTransaction(services.orm.em, tenant.id, async (em) => {
  em.persist(tenant);
  await em.flush();
});

const store = services.get(flagStore);
const em = services.orm.em.fork();
const keys = ['newDashboard', 'aiTaskSummaries', 'bulkTaskEdit'] as const;
const coldStarted = performance.now();
await inTenantTransaction(em, tenant.id, (tx) => store.isEnabled(tx, tenant, keys[0]));
const coldMs = performance.now() - coldStarted;

let on = 0;
for (let i = 0; i < 100_000; i++) if (await store.isEnabled(em, tenant, keys[i % 3] ?? keys[0])) on++;
const started = process.hrtime.bigint();
for (let i = 0; i < CHECKS; i++) if (await store.isEnabled(em, tenant, keys[i % 3] ?? keys[0])) on++;
const elapsedNs = Number(process.hrtime.bigint() - started);

console.log(
  JSON.stringify(
    {
      checks: CHECKS,
      warmIsEnabledMicroseconds: Number((elapsedNs / CHECKS / 1000).toFixed(3)),
      checksPerSecond: Math.round(CHECKS / (elapsedNs / 1e9)),
      coldFirstCheckMs: Number(coldMs.toFixed(2)),
      goalMicroseconds: 10,
      enabledAnswers: on,
    },
    null,
    2,
  ),
);

await services.close();
await dropDatabase(adminUrl, database);
await embedded?.stop();
