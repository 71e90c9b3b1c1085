import { defineModule } from '../../engine/module.js';
import { billingClient } from './billing-client.js';
import { BillingEvent } from './billing-event.entity.js';
import { BillingResolver } from './billing.resolver.js';
import { billingRules } from './billing.rules.js';
import { billingTasks } from './billing.tasks.js';
import { stripeWebhookRoutes } from './stripe-webhooks.js';

/**
 * Billing through Stripe: the customer of each tenant, subscriptions of paid plans, usage reported
 * to Stripe's meter, verified webhooks (plan, payment failures, the grace period and suspension),
 * and the `billing` query.
 */
export const billingModule = defineModule({
  name: 'billing',
  entities: [BillingEvent],
  resolvers: [BillingResolver],
  rules: billingRules,
  tasks: billingTasks,
  services: [billingClient],
  routes: stripeWebhookRoutes,
});
