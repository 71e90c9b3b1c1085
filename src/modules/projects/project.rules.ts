import { canWrite, isViewer } from '../../common/rules.js';
import { Role } from '../auth/roles.js';

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
