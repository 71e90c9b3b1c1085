import { hasRole } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

export const billingRules = {
  Query: { billing: hasRole(Role.OWNER) },
};
