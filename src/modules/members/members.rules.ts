import { canWrite, hasRole, isPublic, isViewer } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

/** Role floors; which roles a manager may invite or remove is checked in the services (member-policy.ts). */
export const membersRules = {
  Query: { members: isViewer, invites: hasRole(Role.MANAGER) },
  Mutation: {
    inviteMember: canWrite(Role.MANAGER),
    revokeInvite: canWrite(Role.MANAGER),
    acceptInvite: isPublic,
    updateMemberRole: canWrite(Role.OWNER),
    removeMember: canWrite(Role.MANAGER),
  },
};
