import { hasRole } from '../../common/rules.js';
import { Role } from '../auth/roles.js';

export const auditRules = {
  Query: { auditLog: hasRole(Role.OWNER) },
};
