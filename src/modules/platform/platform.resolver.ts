import { Args, Ctx, Query, Resolver, Extensions } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { OWN_SESSIONS } from '../../engine/graphql/own-sessions.js';
import { listTenants, platformStats } from './platform.service.js';
import { PlatformStats, TenantConnection, TenantsArgs } from './platform.types.js';

@Resolver()
export class PlatformResolver {
  @Query(() => TenantConnection, { nullable: true, description: 'Platform operators: every tenant (audited).' })
  @Extensions(OWN_SESSIONS)
  tenants(@Args(() => TenantsArgs) args: TenantsArgs, @Ctx() ctx: RequestContext) {
    return listTenants(ctx, args);
  }

  @Query(() => PlatformStats, { nullable: true, description: 'Platform operators: fleet-wide counts (audited).' })
  @Extensions(OWN_SESSIONS)
  platformStats(@Ctx() ctx: RequestContext): Promise<PlatformStats> {
    return platformStats(ctx);
  }
}
