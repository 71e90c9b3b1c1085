import { hasRole } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

export const auditRules = {
  Query: { auditLog: hasRole(Role.OWNER) },
};
