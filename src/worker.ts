import 'reflect-metadata';
import { loadConfig } from './engine/config.js';
import { startWorker } from './engine/jobs/worker.js';
import { createLogger } from './engine/observability/logger.js';
import { createAppServices } from './app.js';

/** `npm run worker`: a job worker process (any number of them may run beside the gateways). */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel).child({ process: 'worker' });
  if (!config.database.url || !config.jwt.secret) {
    throw new Error('DATABASE_URL and JWT_SECRET are required for a worker (zero-setup `npm start` runs one in-process)');
  }
  const services = await createAppServices({ config, log, databaseUrl: config.database.url, jwtSecret: config.jwt.secret });
  const worker = await startWorker(services, {
    databaseUrl: config.database.url,
    concurrency: config.worker.concurrency,
    staleAfterMs: config.worker.staleAfterMs,
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'worker shutting down: finishing running jobs');
      void worker
        .stop()
        .then(() => services.close())
        .then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
