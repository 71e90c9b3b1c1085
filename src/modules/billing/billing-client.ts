import Stripe from 'stripe';
import { defineService } from '../../engine/module.js';
import type { Config } from '../../engine/config.js';

export type PaidPlan = 'PRO' | 'ENTERPRISE';

/** What we keep of a Stripe subscription: always read back from Stripe, never trusted from an event body. */
export interface SubscriptionState {
  id: string;
  customerId: string;
  status: Stripe.Subscription.Status;
  priceId: string | null;
  currentPeriodEnd: Date | null;
}

/** The billing provider, as the billing module and provisioning use it. */
export interface BillingClient {
  createCustomer(input: { tenantId: string; name: string; email: string }): Promise<{ id: string }>;
  /** The tenant id we put in the customer's metadata at creation. */
  tenantOfCustomer(customerId: string): Promise<string | null>;
  /** A subscription to `priceId`, or the existing one moved to it with proration. */
  subscribe(input: { tenantId: string; customerId: string; subscriptionId?: string; priceId: string }): Promise<SubscriptionState>;
  subscription(id: string): Promise<SubscriptionState>;
  /** Cancels at once (a move to FREE); the final invoice prorates the unused time. */
  cancelSubscription(id: string): Promise<SubscriptionState>;
  invoiceStatus(id: string): Promise<Stripe.Invoice.Status | null>;
  /** A meter event; Stripe ignores a second one with the same identifier. */
  reportUsage(input: { customerId: string; value: number; identifier: string; at: Date }): Promise<void>;
  /** The verified event of a webhook delivery; throws on a bad or missing signature. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): Stripe.Event;
}

function stateOf(subscription: Stripe.Subscription): SubscriptionState {
  const item = subscription.items.data[0];
  return {
    id: subscription.id,
    customerId: typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    priceId: item?.price.id ?? null,
    currentPeriodEnd: item ? new Date(item.current_period_end * 1000) : null,
  };
}

/** Stripe through its SDK, or null when billing is not configured (billing steps are then skipped). */
export function createBillingClient(config: Config['billing']): BillingClient | null {
  if (!config.stripeSecretKey) return null;
  const endpoint = config.stripeApiUrl ? new URL(config.stripeApiUrl) : undefined;
  const stripe = new Stripe(config.stripeSecretKey, {
    maxNetworkRetries: 0,
    timeout: 10_000,
    ...(endpoint
      ? {
          host: endpoint.hostname,
          port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
          protocol: endpoint.protocol.replace(':', '') as 'http' | 'https',
        }
      : {}),
  });
  const webhookSecret = config.webhookSecret;
  return {
    async createCustomer({ tenantId, name, email }) {
      // The idempotency key makes a retried step return the same customer instead of a second one.
      const customer = await stripe.customers.create(
        { name, email, metadata: { tenantId } },
        { idempotencyKey: `tessera-customer-${tenantId}` },
      );
      return { id: customer.id };
    },

    async tenantOfCustomer(customerId) {
      const customer = await stripe.customers.retrieve(customerId);
      return customer.deleted ? null : (customer.metadata.tenantId ?? null);
    },

    async subscribe({ tenantId, customerId, subscriptionId, priceId }) {
      if (subscriptionId) {
        const current = await stripe.subscriptions.retrieve(subscriptionId);
        const item = current.items.data[0];
        if (current.status !== 'canceled' && item) {
          return stateOf(
            await stripe.subscriptions.update(subscriptionId, {
              items: [{ id: item.id, price: priceId }],
              proration_behavior: 'create_prorations',
              metadata: { tenantId },
            }),
          );
        }
      }
      return stateOf(
        await stripe.subscriptions.create(
          // Without a payment method the subscription stays `incomplete` (no plan change) until the
          // first invoice is paid; its webhook then grants the plan.
          { customer: customerId, items: [{ price: priceId }], metadata: { tenantId }, payment_behavior: 'default_incomplete' },
          { idempotencyKey: `tessera-subscription-${tenantId}-${priceId}-${subscriptionId ?? 'new'}` },
        ),
      );
    },

    async subscription(id) {
      return stateOf(await stripe.subscriptions.retrieve(id));
    },

    async cancelSubscription(id) {
      return stateOf(await stripe.subscriptions.cancel(id, { prorate: true }));
    },

    async invoiceStatus(id) {
      return (await stripe.invoices.retrieve(id)).status;
    },

    async reportUsage({ customerId, value, identifier, at }) {
      await stripe.billing.meterEvents.create({
        event_name: config.meterEvent,
        identifier,
        timestamp: Math.floor(at.getTime() / 1000),
        payload: { stripe_customer_id: customerId, value: String(value) },
      });
    },

    verifyWebhook(rawBody, signature) {
      if (!webhookSecret) throw new Error('STRIPE_WEBHOOK_SECRET is not set');
      if (!signature) throw new Error('No Stripe-Signature header');
      return stripe.webhooks.constructEvent(rawBody, signature, webhookSecret);
    },
  };
}

/** The billing provider's client, or null when billing is not configured. */
export const billingClient = defineService('billing', (services) => createBillingClient(services.config.billing));
