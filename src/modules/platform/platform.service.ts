import type { Connection } from '../../engine/graphql/connection.js';
import { paginate } from '../../engine/graphql/paginate.js';
import type { RequestContext } from '../../engine/context.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { TenantStatus } from '../../engine/tenancy/tenant.enums.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { User } from '../../engine/identity/user.entity.js';
import { withPlatformAccess } from '../../engine/authorization/platform-access.js';
import { ACROSS_TENANTS } from '../../engine/tenancy/tenant-session.js';
import type { PlatformStats, TenantsArgs } from './platform.types.js';

/** Every tenant that is not deleted, newest first, for platform operators. */
export function listTenants(ctx: RequestContext, args: TenantsArgs): Promise<Connection<Tenant>> {
  return withPlatformAccess(
    ctx,
    'tenants.list',
    // Counted now: the audited platform read ends when this callback returns.
    (em) => paginate(em, Tenant, args, { where: { deletedAt: null, ...(args.status ? { status: args.status } : {}) }, count: 'now' }),
    { status: args.status ?? null },
  );
}

/** Fleet-wide counts; memberships are read across tenants through the audited path. */
export function platformStats(ctx: RequestContext): Promise<PlatformStats> {
  return withPlatformAccess(ctx, 'platform.stats', async (em) => {
    const [tenants, activeTenants, users, memberships] = await Promise.all([
      em.count(Tenant, { deletedAt: null }),
      em.count(Tenant, { deletedAt: null, status: TenantStatus.ACTIVE }),
      em.count(User, {}),
      em.count(Membership, {}, ACROSS_TENANTS),
    ]);
    return { tenants, activeTenants, users, memberships };
  });
}
