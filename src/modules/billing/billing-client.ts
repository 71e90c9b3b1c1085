import Stripe from 'stripe';
import { defineService } from '../../engine/module.js';

export interface BillingConfig {
  stripeSecretKey?: string;
  /** Another Stripe-compatible endpoint (a local stand-in in tests). */
  stripeApiUrl?: string;
}

/** What provisioning needs from the billing provider. */
export interface BillingClient {
  createCustomer(input: { tenantId: string; name: string; email: string }): Promise<{ id: string }>;
}

/** Stripe through its SDK, or null when billing is not configured (the step is then skipped). */
export function createBillingClient(config: BillingConfig): BillingClient | null {
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
  return {
    async createCustomer({ tenantId, name, email }) {
      // The idempotency key makes a retried step return the same customer instead of a second one.
      const customer = await stripe.customers.create(
        { name, email, metadata: { tenantId } },
        { idempotencyKey: `tessera-customer-${tenantId}` },
      );
      return { id: customer.id };
    },
  };
}

/** The billing provider's client, or null when billing is not configured. */
export const billingClient = defineService('billing', (services) => createBillingClient(services.config.billing));
