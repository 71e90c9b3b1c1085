import type { RequestContext } from '../../engine/context.js';
import { TenantRequiredError } from '../../engine/graphql/errors.js';
import { apiCallQuota } from '../metering/api-call-quota.js';
import { monthOf } from '../metering/usage-period.js';
import { planOf, PRICE_CURRENCY } from '../plans/plan-catalogue.js';
import { billingStateOf, billingStatusOf } from './billing-state.js';
import type { Billing } from './billing.types.js';

/**
 * The period's projected cost: the plan's price plus its metered API calls, the calls so far
 * extrapolated linearly to the end of the calendar month.
 */
export async function currentBilling(ctx: RequestContext, now = new Date()): Promise<Billing> {
  const tenant = ctx.tenant;
  if (!tenant) throw new TenantRequiredError();
  const plan = planOf(tenant.plan);
  const period = monthOf(now);
  const callsSoFar = await ctx.services.get(apiCallQuota).used(tenant.id);
  const elapsed = Math.max(1, now.getTime() - period.start.getTime()) / (period.end.getTime() - period.start.getTime());
  const projectedCalls = callsSoFar / elapsed;
  const cents = plan.monthlyPriceCents + (projectedCalls / 1000) * plan.centsPerThousandApiCalls;
  const state = billingStateOf(tenant);
  const trialEndsAt = tenant.trialEndsAt ?? null;
  return {
    plan: tenant.plan,
    status: billingStatusOf(tenant, trialEndsAt, now),
    trialEndsAt,
    currentPeriodEnd: state.currentPeriodEnd ? new Date(state.currentPeriodEnd) : period.end,
    projectedCost: { amount: Math.round(cents) / 100, currency: PRICE_CURRENCY },
  };
}
