import { canWrite, isViewer } from '../../engine/authorization/rules.js';
import { and } from 'graphql-shield';
import { Role } from '../../engine/identity/roles.js';
import { requiresFeature } from '../plans/plan.rules.js';

/**
 * transitionProject needs MEMBER here; the workflow table then asks for the role of the exact move.
 * updateProject needs MEMBER here; the service then requires the project's owner or a MANAGER+.
 */
export const projectRules = {
  Query: { projects: isViewer, project: isViewer },
  Mutation: {
    createProject: canWrite(Role.MEMBER),
    updateProject: canWrite(Role.MEMBER),
    transitionProject: canWrite(Role.MEMBER),
    reopenProject: and(canWrite(Role.MANAGER), requiresFeature('advancedWorkflow')),
    deleteProject: canWrite(Role.OWNER),
  },
};
