import 'reflect-metadata';
import { entitiesOf } from './src/engine/db/entities.js';
import { ormOptions, type OrmConfigFactory } from './src/engine/db/orm-options.js';
import { modules } from './src/modules/index.js';

/**
 * The ORM configuration of the app, its worker, the migrator, the seeder and the MikroORM CLI:
 * the engine's entities plus every module's, the tenant filter, hand-written migrations.
 */
export const tesseraOrmConfig: OrmConfigFactory = ({ clientUrl, poolMax, limits }) =>
  ormOptions({ clientUrl, poolMax, limits, entities: entitiesOf(modules) });

/** For the CLI (`npx mikro-orm migration:list`): the owner role's URL, as `npm run migrate` uses. */
export default tesseraOrmConfig({ clientUrl: process.env.DATABASE_MIGRATOR_URL ?? process.env.DATABASE_URL ?? '' });
