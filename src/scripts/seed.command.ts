import 'reflect-metadata';
import { loadConfig } from '../engine/config.js';
import { seedDemoData } from '../demo.js';
import { createLogger } from '../engine/observability/logger.js';
import { createAppServices } from '../app.js';

/** `npm run seed`: the demo tenants, through the app role (RLS applies to seeds too). */
const config = loadConfig();
const log = createLogger(config.logLevel);
if (!config.database.url || !config.jwt.secret) {
  log.error('DATABASE_URL and JWT_SECRET are required; zero-setup `npm start` seeds by itself');
  process.exit(1);
}
const services = await createAppServices({ config, log, databaseUrl: config.database.url, jwtSecret: config.jwt.secret });
try {
  await seedDemoData(services, config.database.migratorUrl);
  log.info('demo data seeded');
} finally {
  await services.close();
}
