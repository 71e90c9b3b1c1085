import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/engine/config.js';
import { dropDatabase, prepareDatabase, withDatabase } from '../src/engine/db/bootstrap.js';
import { startEmbeddedPostgres } from '../src/engine/db/embedded.js';
import { startWorker } from '../src/engine/jobs/worker.js';
import { createLogger } from '../src/engine/observability/logger.js';
import { startServer } from '../src/engine/http/server.js';
import { createAppServices, migrate } from '../src/app.js';
import { ROLE_PASSWORD } from './database.js';

/**
 * `npm run bench:provisioning`: N concurrent sign-ups (default 100) against a gateway and an
 * in-process worker on a fresh database; reports the time from provisionTenant to ACTIVE and the
 * throughput, and checks that every tenant was provisioned exactly once.
 */
const SIGNUPS = Number(process.env.SIGNUPS ?? 100);
const log = createLogger('warn');
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres(join('.tessera', 'bench-pg'), 54349, 'bench', log);
const adminUrl = process.env.DATABASE_URL ?? embedded!.adminUrl;
const database = `tessera_bench_provisioning_${randomBytes(3).toString('hex')}`;
// The roles are cluster-wide: the one password every test and benchmark database uses (see database.ts).
const urls = await prepareDatabase(adminUrl, database, ROLE_PASSWORD);
await migrate(urls.migratorUrl, log);
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  // The limit is per client address and counted in Redis across runs: the benchmark is one address.
  RATE_LIMIT_SIGNUPS_PER_HOUR: '1000000000',
  ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
});
const services = await createAppServices({ config, log, databaseUrl: urls.appUrl, jwtSecret: randomBytes(32).toString('hex') });
const server = await startServer(services, 0, '127.0.0.1');
const worker = await startWorker(services, { databaseUrl: urls.appUrl, concurrency: config.worker.concurrency });

const SIGN_UP = `mutation ($input: ProvisionTenantInput!) { provisionTenant(input: $input) { tenant { id } } }`;
const started = performance.now();
const submitted = await Promise.all(
  Array.from({ length: SIGNUPS }, async (_, i) => {
    const slug = `bench-${i}-${randomBytes(3).toString('hex')}`;
    const at = performance.now();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: SIGN_UP,
        variables: { input: { name: slug, slug, ownerEmail: `o@${slug}.example.com`, ownerPassword: 'bench-password', ownerName: 'B' } },
      }),
    });
    const body = (await response.json()) as { data?: { provisionTenant: { tenant: { id: string } } }; errors?: unknown };
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return { id: body.data.provisionTenant.tenant.id, at };
  }),
);
const accepted = performance.now();

const admin = new pg.Client({ connectionString: withDatabase(adminUrl, database) });
await admin.connect();
const activeAt = new Map<string, number>();
while (activeAt.size < SIGNUPS) {
  const { rows } = await admin.query<{ id: string }>(`select id from tenants where status = 'ACTIVE'`);
  for (const row of rows) if (!activeAt.has(row.id)) activeAt.set(row.id, performance.now());
  if (performance.now() - started > 300_000) throw new Error('provisioning did not finish in 5 minutes');
  await new Promise((resolve) => setTimeout(resolve, 10));
}
const finished = performance.now();
const {
  rows: [check],
} = await admin.query<{ tenants: number; steps: number; once: boolean }>(
  `select (select count(*)::int from tenants) as tenants,
          (select count(*)::int from provisioning_steps) as steps,
          (select bool_and(attempts = 1) from provisioning_steps) as once`,
);
if (!check) throw new Error('The count query returned no row');
await admin.end();

const latencies = submitted.map((s) => activeAt.get(s.id)! - s.at).sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
console.log(
  JSON.stringify(
    {
      signups: SIGNUPS,
      workerConcurrency: config.worker.concurrency,
      allAcceptedInMs: Math.round(accepted - started),
      allActiveInMs: Math.round(finished - started),
      tenantsPerSecond: Number((SIGNUPS / ((finished - started) / 1000)).toFixed(1)),
      signupToActiveMs: { p50: Math.round(percentile(50)), p99: Math.round(percentile(99)), max: Math.round(latencies.at(-1)!) },
      tenantsCreated: check.tenants,
      stepsRecorded: check.steps,
      everyStepRanOnce: check.once,
    },
    null,
    2,
  ),
);

await worker.stop();
await server.stop();
await services.close();
await dropDatabase(adminUrl, database);
await embedded?.stop();
