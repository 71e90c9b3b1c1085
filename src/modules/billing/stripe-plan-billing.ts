import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../engine/config.js';
import { ConflictError } from '../../engine/graphql/errors.js';
import type { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import type { BillingClient } from './billing-client.js';
import { applySubscription, billingStateOf } from './billing-state.js';

const PAID_STATUSES = new Set(['active', 'trialing', 'past_due']);

/**
 * Plan changes through Stripe: a paid plan creates the tenant's subscription or moves the existing
 * one to the plan's price with proration (a direct update rather than Checkout: the owner is already
 * a customer, and the change takes effect at once, billed pro rata on the next invoice); FREE
 * cancels it. The plan follows the subscription Stripe answers with; webhooks keep it in step.
 */
export class StripePlanBilling {
  constructor(
    private readonly client: BillingClient,
    private readonly billing: Config['billing'],
  ) {}

  async changePlan(_em: EntityManager, tenant: Tenant, plan: PlanCode): Promise<void> {
    const state = billingStateOf(tenant);
    if (!state.stripeCustomerId) throw new ConflictError('The billing account is not set up yet; try again in a minute', 'plan');
    if (plan === PlanCode.FREE) {
      if (state.subscriptionId) applySubscription(tenant, await this.client.cancelSubscription(state.subscriptionId), this.billing.prices);
      tenant.plan = PlanCode.FREE;
    } else {
      const subscription = await this.client.subscribe({
        tenantId: tenant.id,
        customerId: state.stripeCustomerId,
        subscriptionId: state.subscriptionId,
        priceId: this.billing.prices[plan],
      });
      applySubscription(tenant, subscription, this.billing.prices);
    }
    // A paid subscription (or FREE) replaces the trial.
    if (tenant.plan === plan) tenant.trialEndsAt = null;
  }

  hasPaidSubscription(tenant: Tenant): Promise<boolean> {
    const state = billingStateOf(tenant);
    return Promise.resolve(Boolean(state.subscriptionId && state.subscriptionStatus && PAID_STATUSES.has(state.subscriptionStatus)));
  }
}
