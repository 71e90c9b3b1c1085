import { byIdLoader } from '../../common/batch-loaders.js';
import type { LoaderFactory } from '../../common/loaders.js';
import { Project } from './project.entity.js';

/** Projects by id, within the request's tenant. */
export const projectsById: LoaderFactory<string, Project | null> = (em) => byIdLoader(em, Project);
