import type { EntityManager } from '@mikro-orm/postgresql';
import { defineService } from '../../engine/module.js';
import { billingClient } from '../billing/billing-client.js';
import { StripePlanBilling } from '../billing/stripe-plan-billing.js';
import type { Tenant } from '../../engine/tenancy/tenant.entity.js';
import type { PlanCode } from '../../engine/tenancy/tenant.enums.js';

/**
 * The seam between plans and payment: `changePlan` and the trial job only talk to this. With
 * Stripe configured the billing module's implementation changes the subscription.
 */
export interface PlanBilling {
  /** Moves `tenant` to `plan` inside `em`'s tenant transaction (the caller audits and flushes). */
  changePlan(em: EntityManager, tenant: Tenant, plan: PlanCode): Promise<void>;
  /** Whether the tenant pays for its plan, so an ending trial keeps it. */
  hasPaidSubscription(tenant: Tenant): Promise<boolean>;
}

/** Without a billing provider (development, self-hosting): the plan changes at once and ends any trial. */
export class DirectPlanBilling implements PlanBilling {
  changePlan(_em: EntityManager, tenant: Tenant, plan: PlanCode): Promise<void> {
    tenant.plan = plan;
    tenant.trialEndsAt = null;
    return Promise.resolve();
  }

  hasPaidSubscription(tenant: Tenant): Promise<boolean> {
    return Promise.resolve(Boolean(tenant.billing.subscriptionId));
  }
}

/** Through Stripe when billing is configured, directly otherwise. */
export const planBilling = defineService<PlanBilling>('planBilling', (services) => {
  const client = services.get(billingClient);
  return client ? new StripePlanBilling(client, services.config.billing) : new DirectPlanBilling();
});
