import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/engine/config.js';
import { dropDatabase, OWNER_ROLE, prepareDatabase, withDatabase, type DatabaseUrls } from '../../src/engine/db/bootstrap.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/engine/db/embedded.js';
import { createLogger } from '../../src/engine/observability/logger.js';
import { startWorker, type RunningWorker } from '../../src/engine/jobs/worker.js';
import { startServer, type RunningServer } from '../../src/engine/http/server.js';
import { type AppServices } from '../../src/engine/services.js';
import { createAppServices, migrate } from '../../src/app.js';

/**
 * The one password of `tessera_owner`/`tessera_app` for every test database. Roles are
 * cluster-wide: a test that set another password would lock every other connection out (under
 * password authentication; a trusting local server hides it). Only `prepareTemplate` sets it.
 */
const TEST_ROLE_PASSWORD = 'tessera-test-only';
const EMBEDDED_TEST_PORT = 54339;

/** A fresh migrated database and one gateway on a random port (shared by the run, or by one file). */
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

interface Running {
  env: TestEnvironment;
  worker: RunningWorker | undefined;
}

interface Cluster {
  adminUrl: string;
  templateName: string;
  redisUrl: string;
  jwtSecret: string;
}

let cluster: Cluster | undefined;
let current: Running | undefined;
let embedded: EmbeddedDatabase | undefined;

function startEnvironmentWorker(env: TestEnvironment): Promise<RunningWorker> {
  return startWorker(env.services, { databaseUrl: env.urls.appUrl, concurrency: 4, pollIntervalMs: 250 });
}

/** Stops the environment's in-process job worker, for tests that run their own (other config, other process). */
export async function pauseSharedWorker(): Promise<void> {
  const running = currentRunning();
  await running.worker?.stop();
  running.worker = undefined;
}

export async function resumeSharedWorker(): Promise<void> {
  const running = currentRunning();
  running.worker ??= await startEnvironmentWorker(running.env);
}

function currentRunning(): Running {
  if (!current) throw new Error('The test environment is not started (root hooks did not run)');
  return current;
}

export function testEnv(): TestEnvironment {
  return currentRunning().env;
}

function testCluster(): Cluster {
  if (!cluster) throw new Error('The test environment is not started (root hooks did not run)');
  return cluster;
}

/**
 * A new database cloned from the run's migrated template (`CREATE DATABASE … TEMPLATE`: no
 * migrations to run again), owned by the owner role, with the roles' one password.
 */
export async function createTestDatabase(prefix = 'tessera_test'): Promise<{ name: string; urls: DatabaseUrls; adminDatabaseUrl: string }> {
  const { adminUrl, templateName } = testCluster();
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(
          `create database ${admin.escapeIdentifier(name)} template ${admin.escapeIdentifier(templateName)} owner ${OWNER_ROLE}`,
        );
        break;
      } catch (error) {
        // 55006: the template still has a session (a pool closing after the migration).
        if ((error as { code?: string }).code !== '55006' || attempt === 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await admin.end();
  }
  const urls = await prepareDatabase(adminUrl, name, TEST_ROLE_PASSWORD);
  return { name, urls, adminDatabaseUrl: withDatabase(adminUrl, name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  if (!process.env.KEEP_TEST_DATABASE) await dropDatabase(testCluster().adminUrl, name);
}

async function startEnvironment(): Promise<Running> {
  const { adminUrl, redisUrl, jwtSecret } = testCluster();
  const database = await createTestDatabase();
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const config = loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: redisUrl,
    BASE_DOMAIN: 'tessera.test',
    TENANT_CACHE_TTL_SECONDS: '30',
    DATABASE_POOL_MAX: '10',
    // Every test signs up from 127.0.0.1; the limits themselves are tested on a server of their own.
    RATE_LIMIT_SIGNUPS_PER_HOUR: '100000',
    RATE_LIMIT_LOGINS_PER_15_MIN: '100000',
    RATE_LIMIT_OPERATIONS_PER_MINUTE: '100000',
    RATE_LIMIT_LOGINS_PER_ADDRESS_PER_15_MIN: '100000',
    RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_15_MIN: '100000',
    RATE_LIMIT_INVITES_PER_TENANT_PER_HOUR: '100000',
    // graphile-worker backs off e^attempt seconds: three attempts keep the failure tests near 10 s.
    PROVISIONING_MAX_ATTEMPTS: '3',
  });
  const services = await createAppServices({
    config,
    log,
    databaseUrl: database.urls.appUrl,
    platformDatabaseUrl: database.urls.platformUrl,
    jwtSecret,
  });
  const server = await startServer(services, 0, '127.0.0.1');
  const env: TestEnvironment = {
    adminUrl,
    databaseName: database.name,
    urls: database.urls,
    services,
    server,
    redisUrl,
    jwtSecret,
    adminDatabaseUrl: database.adminDatabaseUrl,
  };
  return { env, worker: await startEnvironmentWorker(env) };
}

async function stopEnvironment(running: Running): Promise<void> {
  await running.env.server.stop();
  await running.worker?.stop();
  running.worker = undefined;
  await running.env.services.close();
  await dropTestDatabase(running.env.databaseName);
}

/**
 * DATABASE_URL, when set, is a superuser URL of the PostgreSQL to test against (CI: the machine's
 * server); otherwise an embedded PostgreSQL is started under .tessera/test-pg. A template database
 * is migrated once; every environment clones it. REDIS_URL defaults to the local Redis.
 */
export async function startTestEnvironment(): Promise<TestEnvironment> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    embedded = await startEmbeddedPostgres(join('.tessera', 'test-pg'), EMBEDDED_TEST_PORT, 'tessera-test-superuser', log);
    adminUrl = embedded.adminUrl;
  }
  const templateName = `tessera_template_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const templateUrls = await prepareDatabase(adminUrl, templateName, TEST_ROLE_PASSWORD);
  await migrate(templateUrls.migratorUrl, createLogger('silent'));
  cluster = {
    adminUrl,
    templateName,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    jwtSecret: randomBytes(32).toString('hex'),
  };
  current = await startEnvironment();
  return current.env;
}

export async function stopTestEnvironment(): Promise<void> {
  if (current) await stopEnvironment(current);
  current = undefined;
  if (cluster) await dropDatabase(cluster.adminUrl, cluster.templateName);
  cluster = undefined;
  await embedded?.stop();
}

/**
 * For a file that changes shared state (the tenant cache, the in-process worker): inside its
 * `describe`, the file gets a database cloned from the template, its own gateway and worker, and
 * `testEnv()` answers with them until the file's tests are done.
 */
export function useOwnEnvironment(): void {
  before(async function () {
    this.timeout(60_000);
    const shared = currentRunning();
    const own = await startEnvironment();
    current = own;
    // Torn down after the file's own `after` hooks (which may still use it): appended now, it runs last.
    this.test?.parent?.afterAll("stop the file's own environment", async function () {
      this.timeout(60_000);
      current = shared;
      await stopEnvironment(own);
    });
  });
}
