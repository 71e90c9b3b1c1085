import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { listTenants, platformStats } from './platform.service.js';
import { PlatformStats, TenantConnection, TenantsArgs } from './platform.types.js';

@Resolver()
export class PlatformResolver {
  @Query(() => TenantConnection, { nullable: true, description: 'Platform operators: every tenant (audited).' })
  tenants(@Args(() => TenantsArgs) args: TenantsArgs, @Ctx() ctx: RequestContext) {
    return listTenants(ctx, args);
  }

  @Query(() => PlatformStats, { nullable: true, description: 'Platform operators: fleet-wide counts (audited).' })
  platformStats(@Ctx() ctx: RequestContext): Promise<PlatformStats> {
    return platformStats(ctx);
  }
}
