import { defineModule } from '../../engine/module.js';
import { Project } from './project.entity.js';
import { ProjectResolver } from './project.resolver.js';
import { projectRules } from './project.rules.js';

/** Projects and their approval workflow. */
export const projectsModule = defineModule({
  name: 'projects',
  entities: [Project],
  resolvers: [ProjectResolver],
  rules: projectRules,
});
