import { canWrite, isViewer } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

/** createTask needs MEMBER; giving the new task to someone other than yourself also takes MANAGER (service). */
export const taskRules = {
  Query: { task: isViewer },
  Mutation: {
    createTask: canWrite(Role.MEMBER),
    updateTask: canWrite(Role.MEMBER),
    assignTask: canWrite(Role.MANAGER),
    deleteTask: canWrite(Role.MANAGER),
  },
  // Checked again when subscribing and while events flow (SubscriberGuard): shield only wraps resolve.
  Subscription: { taskChanged: isViewer },
};
