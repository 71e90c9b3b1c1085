import { byIdLoader } from '../graphql/batch-loaders.js';
import type { LoaderFactory } from '../graphql/loaders.js';
import { User } from './user.entity.js';

/** Users by id. A global table: which users a tenant row may reference is the database's job (FKs to memberships). */
export const usersById: LoaderFactory<string, User | null> = (em) => byIdLoader(em, User);
