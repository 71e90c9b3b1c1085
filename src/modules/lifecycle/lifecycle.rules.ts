import { and } from 'graphql-shield';
import { hasRole, isPlatformOperator } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';
import { requiresFeature } from '../plans/plan.rules.js';

export const lifecycleRules = {
  Query: { tenantExport: and(hasRole(Role.OWNER), requiresFeature('dataExport')) },
  Mutation: {
    // Deleting and exporting stay possible while suspended: both are the owner's way out.
    deleteTenant: hasRole(Role.OWNER),
    requestTenantExport: and(hasRole(Role.OWNER), requiresFeature('dataExport')),
    suspendTenant: isPlatformOperator,
    restoreTenant: isPlatformOperator,
  },
};
