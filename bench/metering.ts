import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ApiCallQuota } from '../src/modules/metering/api-call-quota.js';

/**
 * `npm run bench:metering`: what metering adds to a request — the monthly quota check and the
 * in-memory count — in microseconds per call, in-process (no Redis) and with Redis (REDIS_URL,
 * default the local one). The batched flush to PostgreSQL runs once a second off the request path
 * and is not part of the per-request cost.
 */
const CALLS = Number(process.env.CALLS ?? 20_000);
const TENANTS = 100;
const tenants = Array.from({ length: TENANTS }, () => randomUUID());

async function measure(label: string, quota: ApiCallQuota): Promise<void> {
  const pending = new Map<string, number>();
  for (let i = 0; i < 1_000; i++) await quota.consume(tenants[i % TENANTS]!, 1_000_000_000);
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    const tenantId = tenants[i % TENANTS]!;
    const decision = await quota.consume(tenantId, 1_000_000_000);
    if (decision.allowed) pending.set(tenantId, (pending.get(tenantId) ?? 0) + 1);
  }
  const micros = Number(process.hrtime.bigint() - started) / 1_000 / CALLS;
  // As under load: many requests in flight, so Redis round trips overlap (ioredis pipelines them).
  const cpuBefore = process.cpuUsage();
  const concurrentStarted = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 64 }, async (_, lane) => {
      for (let i = lane; i < CALLS; i += 64) await quota.consume(tenants[i % TENANTS]!, 1_000_000_000);
    }),
  );
  const wall = Number(process.hrtime.bigint() - concurrentStarted) / 1_000 / CALLS;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMicros = (cpu.user + cpu.system) / CALLS;
  console.log(
    `${label.padEnd(26)} sequential ${micros.toFixed(2)} µs/call; 64 in flight: ${wall.toFixed(2)} µs/call wall, ${cpuMicros.toFixed(2)} µs/call CPU of the gateway process`,
  );
}

await measure('in-process (no Redis)', new ApiCallQuota(null));
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
try {
  await redis.connect();
  await measure('Redis (one Lua script)', new ApiCallQuota(redis));
  for (const tenantId of tenants) await redis.del(`tessera:api-calls:${tenantId}:${new Date().toISOString().slice(0, 7)}`);
} catch (error) {
  console.log(`Redis: not measured (${(error as Error).message})`);
} finally {
  redis.disconnect();
}
