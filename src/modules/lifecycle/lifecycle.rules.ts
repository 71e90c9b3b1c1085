import { hasRole, isPlatformOperator } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

export const lifecycleRules = {
  Query: { tenantExport: hasRole(Role.OWNER) },
  Mutation: {
    // Deleting and exporting stay possible while suspended: both are the owner's way out.
    deleteTenant: hasRole(Role.OWNER),
    requestTenantExport: hasRole(Role.OWNER),
    suspendTenant: isPlatformOperator,
    restoreTenant: isPlatformOperator,
  },
};
