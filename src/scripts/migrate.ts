import 'reflect-metadata';
import { loadConfig } from '../config.js';
import { runMigrations } from '../db/migrate.js';
import { createLogger } from '../logger.js';

/** `npm run migrate`: applies migrations as the owner role (DATABASE_MIGRATOR_URL). */
const config = loadConfig();
const log = createLogger(config.logLevel);
if (!config.database.migratorUrl) {
  log.error('DATABASE_MIGRATOR_URL is required (the owner role); zero-setup `npm start` migrates by itself');
  process.exit(1);
}
await runMigrations(config.database.migratorUrl, log);
