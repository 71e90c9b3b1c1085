import { createHash, timingSafeEqual } from 'node:crypto';
import type { Router } from 'express';
import express from 'express';
import type { AppServices } from '../services.js';

/**
 * Liveness says the process answers; readiness says its PostgreSQL (and Redis, when used) answer
 * too, never why not (that goes to the log); /metrics is for Prometheus: behind METRICS_TOKEN
 * when set, and off in production without one.
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
      .then(() => 'ok', (error: unknown) => unavailable(services, 'postgres', error));
    if (services.redis) {
      checks.redis = await services.redis.ping().then(() => 'ok', (error: unknown) => unavailable(services, 'redis', error));
    }
    if (isDraining()) checks.server = 'draining';
    const ready = Object.values(checks).every((value) => value === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
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
