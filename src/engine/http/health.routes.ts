import { createHash, timingSafeEqual } from 'node:crypto';
import type { Router } from 'express';
import express from 'express';
import type { Redis } from 'ioredis';
import type { AppServices } from '../services.js';

const REDIS_PING_TIMEOUT_MS = 500;

/** 'ok', or 'degraded' when Redis does not answer a PING quickly (commands queue while it reconnects). */
async function redisStatus(redis: Redis): Promise<'ok' | 'degraded'> {
  if (redis.status !== 'ready') return 'degraded';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'degraded'>((resolve) => (timer = setTimeout(() => resolve('degraded'), REDIS_PING_TIMEOUT_MS)));
  try {
    return await Promise.race([
      redis.ping().then(
        () => 'ok' as const,
        () => 'degraded' as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness says the process answers; readiness says its PostgreSQL answers, never why not (that
 * goes to the log). Redis is reported but never makes the gateway unready: without it queries and
 * mutations still work (only subscriptions and cross-process cache invalidation wait for it), and a
 * shared Redis outage must not take every gateway out of its load balancer. /metrics is for
 * Prometheus: behind METRICS_TOKEN when set, and off in production without one.
 */
export function healthRoutes(services: AppServices, isDraining: () => boolean): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/metrics', async (req, res) => {
    const { metricsToken, env } = services.config;
    if (!metricsToken && env === 'production') {
      res.status(404).end();
      return;
    }
    if (metricsToken && !sameSecret(req.headers.authorization ?? '', `Bearer ${metricsToken}`)) {
      res.status(401).set('www-authenticate', 'Bearer').end();
      return;
    }
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
  router.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    checks.postgres = await services.orm.em
      .fork()
      .execute('select 1')
      .then(
        () => 'ok',
        (error: unknown) => unavailable(services, 'postgres', error),
      );
    if (services.redis) {
      checks.redis = await redisStatus(services.redis);
    }
    if (isDraining()) checks.server = 'draining';
    const ready = Object.entries(checks).every(([name, value]) => value === 'ok' || (name === 'redis' && value === 'degraded'));
    const status = !ready ? 'not ready' : checks.redis === 'degraded' ? 'degraded' : 'ready';
    res.status(ready ? 200 : 503).json({ status, checks });
  });
  return router;
}

/** The error goes to the log, never to the caller: its text can name hosts, roles and databases. */
function unavailable(services: AppServices, dependency: string, error: unknown): string {
  services.log.warn({ err: error, dependency }, 'readiness check failed');
  return 'unavailable';
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
