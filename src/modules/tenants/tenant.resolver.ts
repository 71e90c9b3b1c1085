import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { tenantOf } from '../../engine/tenancy/tenant-context.js';

@Resolver()
export class TenantResolver {
  @Query(() => Tenant, { nullable: true, description: 'The tenant this request acts in.' })
  currentTenant(@Ctx() ctx: RequestContext): Tenant {
    return tenantOf(ctx);
  }
}

@Resolver(() => Membership)
export class MembershipTenantResolver {
  @FieldResolver(() => Tenant, { nullable: true, description: 'The tenant of the membership.' })
  tenant(@Root() membership: Membership, @Ctx() ctx: RequestContext): Promise<Tenant | null> {
    return ctx.services.tenants.byId(membership.tenantId, ctx.em);
  }
}
