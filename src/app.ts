import { tesseraOrmConfig } from '../mikro-orm.config.js';
import { runMigrations } from './engine/db/migrate.js';
import type { Logger } from './engine/observability/logger.js';
import { createServices, type AppServices, type ServiceOptions } from './engine/services.js';
import { modules } from './modules/index.js';

/** The engine's services for this application's modules and ORM configuration. */
export function createAppServices(options: Omit<ServiceOptions, 'modules' | 'ormConfig'>): Promise<AppServices> {
  return createServices({ ...options, modules, ormConfig: tesseraOrmConfig });
}

/** Applies every migration as the owner role. */
export function migrate(migratorUrl: string, log: Logger): Promise<string[]> {
  return runMigrations(tesseraOrmConfig, migratorUrl, log);
}
