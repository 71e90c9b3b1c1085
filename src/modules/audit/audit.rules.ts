import { and } from 'graphql-shield';
import { hasRole } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';
import { requiresFeature } from '../plans/plan.rules.js';

export const auditRules = {
  Query: { auditLog: and(hasRole(Role.OWNER), requiresFeature('auditLog')) },
};
