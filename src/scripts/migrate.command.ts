import 'reflect-metadata';
import { loadConfig } from '../engine/config.js';
import { createLogger } from '../engine/observability/logger.js';
import { migrate } from '../app.js';

/** `npm run migrate`: applies migrations as the owner role (DATABASE_MIGRATOR_URL). */
const config = loadConfig();
const log = createLogger(config.logLevel);
if (!config.database.migratorUrl) {
  log.error('DATABASE_MIGRATOR_URL is required (the owner role); zero-setup `npm start` migrates by itself');
  process.exit(1);
}
await migrate(config.database.migratorUrl, log);
