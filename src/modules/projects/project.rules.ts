import { canWrite, isViewer } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

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
    deleteProject: canWrite(Role.OWNER),
  },
};
