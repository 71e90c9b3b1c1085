import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { currentBilling } from './billing.service.js';
import { Billing } from './billing.types.js';

@Resolver()
export class BillingResolver {
  @Query(() => Billing, { description: 'Owner: plan, subscription status, trial and the projected cost of the period.' })
  billing(@Ctx() ctx: RequestContext): Promise<Billing> {
    return currentBilling(ctx);
  }
}
