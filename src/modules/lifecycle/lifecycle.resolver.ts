import { Length } from 'class-validator';
import { Arg, ArgsType, Args, Ctx, Field, ID, Mutation, Query, Resolver, Extensions } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { OWN_SESSIONS } from '../../engine/graphql/own-sessions.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { deleteTenant, findTenantExport, requestTenantExport, restoreTenant, suspendTenant } from './lifecycle.service.js';
import { TenantExport } from './tenant-export.entity.js';

@ArgsType()
class SuspendTenantArgs {
  @Field(() => ID, { description: 'The tenant to suspend.' })
  tenantId!: string;

  @Field(() => String, { description: 'Why (1 to 500 characters), shown as Tenant.statusReason.' })
  @Length(1, 500)
  reason!: string;
}

@Resolver()
export class LifecycleResolver {
  @Mutation(() => Boolean, { description: 'Owner: soft-deletes the tenant now; its data is purged after the retention period.' })
  deleteTenant(
    @Arg('confirmSlug', () => String, { description: 'The slug of the tenant, as confirmation; anything else answers BAD_USER_INPUT.' })
    confirmSlug: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return deleteTenant(ctx, confirmSlug);
  }

  @Mutation(() => TenantExport, { description: 'Owner: starts a complete NDJSON export of the tenant.' })
  requestTenantExport(@Ctx() ctx: RequestContext): Promise<TenantExport> {
    return requestTenantExport(ctx);
  }

  @Query(() => TenantExport, {
    nullable: true,
    description: 'Owner (plan with data export): an export of this tenant by id; null when unknown.',
  })
  tenantExport(
    @Arg('id', () => ID, { description: 'The id requestTenantExport returned.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<TenantExport | null> {
    return findTenantExport(ctx, id);
  }

  @Mutation(() => Tenant, { description: 'Platform operators: the tenant becomes read-only (audited).' })
  @Extensions(OWN_SESSIONS)
  suspendTenant(@Args(() => SuspendTenantArgs) args: SuspendTenantArgs, @Ctx() ctx: RequestContext): Promise<Tenant> {
    return suspendTenant(ctx, args.tenantId, args.reason);
  }

  @Mutation(() => Tenant, { description: 'Platform operators: a suspended or not yet purged deleted tenant is ACTIVE again (audited).' })
  @Extensions(OWN_SESSIONS)
  restoreTenant(
    @Arg('tenantId', () => ID, { description: 'The tenant to restore.' }) tenantId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Tenant> {
    return restoreTenant(ctx, tenantId);
  }
}
