import { byIdLoader } from '../../engine/graphql/batch-loaders.js';
import type { LoaderFactory } from '../../engine/graphql/loaders.js';
import { Project } from './project.entity.js';

/** Projects by id, within the request's tenant. */
export const projectsById: LoaderFactory<string, Project | null> = (em) => byIdLoader(em, Project);
