import { hasRole } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

export const meteringRules = {
  Query: { usage: hasRole(Role.MANAGER) },
};
