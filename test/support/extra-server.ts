import { loadConfig } from '../../src/engine/config.js';
import { createLogger, type Logger } from '../../src/engine/observability/logger.js';
import { startWorker } from '../../src/engine/jobs/worker.js';
import { startServer } from '../../src/engine/http/server.js';
import { testEnv } from '../setup/environment.js';
import { createAppServices } from '../../src/app.js';

/**
 * Sign-in limits off, for a gateway under load rather than under test of its limits: the limiters
 * share the run's Redis, so the suite's own sign-ins from 127.0.0.1 count against every gateway.
 */
export const UNLIMITED_SIGN_INS = {
  RATE_LIMIT_LOGINS_PER_15_MIN: '100000',
  RATE_LIMIT_LOGINS_PER_ADDRESS_PER_15_MIN: '100000',
  RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_15_MIN: '100000',
} as const;

export interface ExtraWorker {
  stop(): Promise<void>;
}

/** An in-process job worker with its own configuration (e.g. billing pointed at a stand-in). */
export async function startExtraWorker(env: Record<string, string>): Promise<ExtraWorker> {
  const services = await createAppServices({
    config: loadConfig({ NODE_ENV: 'test', REDIS_URL: testEnv().redisUrl, ...env }),
    log: createLogger('silent'),
    databaseUrl: testEnv().urls.appUrl,
    jwtSecret: testEnv().jwtSecret,
  });
  const worker = await startWorker(services, { databaseUrl: testEnv().urls.appUrl, pollIntervalMs: 200 });
  return {
    async stop() {
      await worker.stop();
      await services.close();
    },
  };
}

export interface ExtraServer {
  url: string;
  stop(): Promise<void>;
}

/** A second gateway on the test database with its own configuration (pool size, limits, flags) and, optionally, a logger to inspect. */
export async function startExtraServer(
  env: Record<string, string>,
  options: { log?: Logger; databaseUrl?: string } = {},
): Promise<ExtraServer> {
  const services = await createAppServices({
    // Operation limits per user are tested on a server of their own; load tests must not trip them.
    config: loadConfig({ NODE_ENV: 'test', RATE_LIMIT_OPERATIONS_PER_MINUTE: '100000', ...env }),
    log: options.log ?? createLogger('silent'),
    databaseUrl: options.databaseUrl ?? testEnv().urls.appUrl,
    // Another database's gateway has no platform pool (its platform operations answer FORBIDDEN).
    platformDatabaseUrl: options.databaseUrl ? undefined : testEnv().urls.platformUrl,
    jwtSecret: testEnv().jwtSecret,
  });
  const server = await startServer(services, 0, '127.0.0.1');
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await services.close();
    },
  };
}

/**
 * A gateway with NODE_ENV=production on the test database and Redis (what production refuses to
 * start without), running the tests' own documents (trusted documents off).
 */
export function startProductionServer(): Promise<ExtraServer> {
  const env = testEnv();
  return startExtraServer({
    NODE_ENV: 'production',
    DATABASE_URL: env.urls.appUrl,
    DATABASE_MIGRATOR_URL: env.urls.appUrl,
    JWT_SECRET: env.jwtSecret,
    REDIS_URL: env.redisUrl,
    TRUSTED_DOCUMENTS: 'off',
  });
}
