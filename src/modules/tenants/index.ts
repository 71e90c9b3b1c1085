import { defineModule } from '../../engine/module.js';
import { MembershipTenantResolver, TenantResolver } from './tenant.resolver.js';
import { tenantRules } from './tenant.rules.js';

/** The current tenant and the caller's memberships. */
export const tenantsModule = defineModule({
  name: 'tenants',
  resolvers: [TenantResolver, MembershipTenantResolver],
  rules: tenantRules,
});
