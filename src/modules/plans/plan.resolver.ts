import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import { changePlan } from './plan.service.js';

@Resolver()
export class PlanResolver {
  @Mutation(() => Tenant, {
    nullable: true,
    description: 'Owner: moves the tenant to another plan (through billing when it is configured). Data is kept.',
  })
  changePlan(
    @Arg('plan', () => PlanCode, { description: 'The plan to move to; CONFLICT while the billing account is not set up yet.' })
    plan: PlanCode,
    @Ctx() ctx: RequestContext,
  ): Promise<Tenant> {
    return changePlan(ctx, plan);
  }
}
