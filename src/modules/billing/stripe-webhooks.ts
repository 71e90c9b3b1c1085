import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type Stripe from 'stripe';
import { isUuid } from '../../engine/graphql/uuid.js';
import { enqueueJob } from '../../engine/jobs/job-queue.js';
import type { AppServices } from '../../engine/services.js';
import { publishTenantChange } from '../../engine/tenancy/tenant-changes.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { recordAuditIn } from '../audit/audit.service.js';
import { billingClient, type BillingClient, type SubscriptionState } from './billing-client.js';
import { BillingEvent } from './billing-event.entity.js';
import { applySubscription, billingStateOf, markPaid, markPastDue } from './billing-state.js';
import { ENFORCE_GRACE_PERIOD_TASK } from './billing.tasks.js';

const SUBSCRIPTION_EVENTS = new Set(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted']);
const INVOICE_EVENTS = new Set(['invoice.paid', 'invoice.payment_failed']);

/** What an event means for its tenant, read back from Stripe (an event's own body may be stale or out of order). */
type Effect = { kind: 'subscription'; subscription: SubscriptionState } | { kind: 'invoice'; paid: boolean };

/**
 * `POST /webhooks/stripe`: the raw body's signature is checked with the endpoint secret (400 and
 * nothing processed otherwise), then the event is applied once per event id. Subscription and
 * invoice events are not trusted for their content: the current subscription or invoice is read
 * from Stripe, so events arriving late or twice leave the latest state.
 */
export function stripeWebhookRoutes(services: AppServices): Router {
  const router = express.Router();
  router.post('/webhooks/stripe', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const client = services.get(billingClient);
    if (!client || !services.config.billing.webhookSecret) {
      res.status(404).json({ error: 'Billing is not configured' });
      return;
    }
    let event: Stripe.Event;
    try {
      event = client.verifyWebhook(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.header('stripe-signature'));
    } catch {
      res.status(400).json({ error: 'Invalid signature' });
      return;
    }
    try {
      const outcome = await processStripeEvent(services, client, event);
      res.json({ received: true, outcome });
    } catch (error) {
      // Stripe retries a delivery that did not answer 2xx; the event id keeps the retry idempotent.
      services.log.error({ err: error, event_id: event.id, type: event.type }, 'stripe webhook failed');
      res.status(503).json({ error: 'Not processed; retry later' });
    }
  });
  return router;
}

function customerOf(event: Stripe.Event): string | null {
  const object = event.data.object as { customer?: string | { id: string } | null };
  if (!object.customer) return null;
  return typeof object.customer === 'string' ? object.customer : object.customer.id;
}

async function effectOf(client: BillingClient, event: Stripe.Event): Promise<Effect | null> {
  const objectId = (event.data.object as { id?: string }).id;
  if (!objectId) return null;
  if (SUBSCRIPTION_EVENTS.has(event.type)) return { kind: 'subscription', subscription: await client.subscription(objectId) };
  if (INVOICE_EVENTS.has(event.type)) return { kind: 'invoice', paid: (await client.invoiceStatus(objectId)) === 'paid' };
  return null;
}

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

export async function processStripeEvent(services: AppServices, client: BillingClient, event: Stripe.Event): Promise<WebhookOutcome> {
  const customerId = customerOf(event);
  if (!customerId) return 'ignored';
  const tenantId = await client.tenantOfCustomer(customerId);
  if (!tenantId || !isUuid(tenantId)) return 'ignored';
  const effect = await effectOf(client, event);
  if (!effect) return 'ignored';

  const result = await inTenantTransaction(services.orm.em, tenantId, async (em) => {
    const inserted = await em
      .createQueryBuilder(BillingEvent)
      .insert({ id: randomUUID(), tenantId, eventId: event.id, type: event.type })
      .onConflict('eventId')
      .ignore()
      .execute<{ affectedRows: number }>('run');
    if (inserted.affectedRows === 0) return { outcome: 'duplicate' as const, tenant: null };
    const tenant = await em.findOne(Tenant, { id: tenantId });
    // The customer's metadata names the tenant; the tenant must also name the customer.
    if (!tenant || billingStateOf(tenant).stripeCustomerId !== customerId) return { outcome: 'ignored' as const, tenant: null };
    const before = { plan: tenant.plan, status: tenant.status };
    if (effect.kind === 'subscription') {
      applySubscription(tenant, effect.subscription, services.config.billing.prices);
    } else if (effect.paid) {
      markPaid(tenant);
    } else {
      const since = markPastDue(tenant, new Date(event.created * 1000));
      await enqueueJob(
        em,
        ENFORCE_GRACE_PERIOD_TASK,
        { tenantId },
        {
          jobKey: `billing-grace:${tenantId}`,
          runAt: new Date(since.getTime() + services.config.billing.gracePeriodMs),
        },
      );
    }
    recordAuditIn(em, {
      actorUserId: undefined,
      action: 'billing.event',
      targetId: tenantId,
      data: { eventId: event.id, type: event.type, before, after: { plan: tenant.plan, status: tenant.status } },
    });
    await em.flush();
    return { outcome: 'applied' as const, tenant };
  });
  if (result.tenant) publishTenantChange(services, result.tenant);
  return result.outcome;
}
