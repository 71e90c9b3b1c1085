import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../../src/engine/config.js';
import { dropDatabase, prepareDatabase, withDatabase, type DatabaseUrls } from '../../src/engine/db/bootstrap.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/engine/db/embedded.js';
import { createLogger } from '../../src/engine/observability/logger.js';
import { startWorker, type RunningWorker } from '../../src/engine/jobs/worker.js';
import { startServer, type RunningServer } from '../../src/engine/http/server.js';
import { type AppServices } from '../../src/engine/services.js';
import { createAppServices, migrate } from '../../src/app.js';

const TEST_ROLE_PASSWORD = 'tessera-test-only';
const EMBEDDED_TEST_PORT = 54339;

/** One fresh database, migrated, and one gateway on a random port, shared by the whole run. */
export interface TestEnvironment {
  readonly adminUrl: string;
  readonly databaseName: string;
  readonly urls: DatabaseUrls;
  readonly services: AppServices;
  readonly server: RunningServer;
  readonly redisUrl: string;
  readonly jwtSecret: string;
  /** Superuser URL of the test database itself (for assertions that need to look past RLS). */
  readonly adminDatabaseUrl: string;
}

let current: TestEnvironment | undefined;
let embedded: EmbeddedDatabase | undefined;
let sharedWorker: RunningWorker | undefined;

function startSharedWorker(services: AppServices, databaseUrl: string): Promise<RunningWorker> {
  return startWorker(services, { databaseUrl, concurrency: 4, pollIntervalMs: 250 });
}

/** Stops the shared in-process job worker, for tests that run their own (other config, other process). */
export async function pauseSharedWorker(): Promise<void> {
  await sharedWorker?.stop();
  sharedWorker = undefined;
}

export async function resumeSharedWorker(): Promise<void> {
  const env = testEnv();
  sharedWorker ??= await startSharedWorker(env.services, env.urls.appUrl);
}

export function testEnv(): TestEnvironment {
  if (!current) throw new Error('The test environment is not started (root hooks did not run)');
  return current;
}

/**
 * DATABASE_URL, when set, is a superuser URL of the PostgreSQL to test against (CI: the machine's
 * server); otherwise an embedded PostgreSQL is started under .tessera/test-pg. REDIS_URL defaults
 * to the local Redis.
 */
export async function startTestEnvironment(): Promise<TestEnvironment> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres(join('.tessera', 'test-pg'), EMBEDDED_TEST_PORT, 'tessera-test-superuser', log);
    adminUrl = embedded.adminUrl;
  }
  const databaseName = `tessera_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const urls = await prepareDatabase(adminUrl, databaseName, TEST_ROLE_PASSWORD);
  await migrate(urls.migratorUrl, log);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const config = loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: redisUrl,
    BASE_DOMAIN: 'tessera.test',
    TENANT_CACHE_TTL_SECONDS: '30',
    DATABASE_POOL_MAX: '10',
    // Every test signs up from 127.0.0.1; the limits themselves are tested on a server of their own.
    RATE_LIMIT_SIGNUPS_PER_HOUR: '100000',
    RATE_LIMIT_LOGINS_PER_15_MIN: '100000',
    RATE_LIMIT_LOGINS_PER_ADDRESS_PER_15_MIN: '100000',
    RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_15_MIN: '100000',
    RATE_LIMIT_INVITES_PER_TENANT_PER_HOUR: '100000',
    // graphile-worker backs off e^attempt seconds: three attempts keep the failure tests near 10 s.
    PROVISIONING_MAX_ATTEMPTS: '3',
  });
  const jwtSecret = randomBytes(32).toString('hex');
  const services = await createAppServices({ config, log, databaseUrl: urls.appUrl, platformDatabaseUrl: urls.platformUrl, jwtSecret });
  const server = await startServer(services, 0, '127.0.0.1');
  sharedWorker = await startSharedWorker(services, urls.appUrl);
  current = {
    adminUrl,
    databaseName,
    urls,
    services,
    server,
    redisUrl,
    jwtSecret,
    adminDatabaseUrl: withDatabase(adminUrl, databaseName),
  };
  return current;
}

export async function stopTestEnvironment(): Promise<void> {
  if (current) {
    await current.server.stop();
    await sharedWorker?.stop();
    sharedWorker = undefined;
    await current.services.close();
    if (!process.env.KEEP_TEST_DATABASE) await dropDatabase(current.adminUrl, current.databaseName);
    current = undefined;
  }
  await embedded?.stop();
}
