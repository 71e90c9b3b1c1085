import { canWrite, hasRole, isPlatformOperator } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

export const flagRules = {
  Query: { featureFlags: hasRole(Role.MANAGER) },
  Mutation: {
    setFeatureFlag: canWrite(Role.OWNER),
    clearFeatureFlag: canWrite(Role.OWNER),
    setGlobalFeatureFlag: isPlatformOperator,
  },
};
