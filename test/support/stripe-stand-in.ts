import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

interface Customer {
  id: string;
  object: 'customer';
  name: string;
  email: string;
  metadata: Record<string, string>;
}

interface Subscription {
  id: string;
  object: 'subscription';
  customer: string;
  status: string;
  metadata: Record<string, string>;
  items: {
    object: 'list';
    data: { id: string; object: 'subscription_item'; price: { id: string; object: 'price' }; current_period_end: number }[];
  };
}

interface Invoice {
  id: string;
  object: 'invoice';
  customer: string;
  status: string;
}

export interface MeterEvent {
  event_name: string;
  identifier: string;
  value: number;
  customer: string;
}

const id = (prefix: string) => `${prefix}_${randomBytes(7).toString('hex')}`;

/**
 * A local Stripe for the real Stripe SDK: customers (with Stripe's idempotency-key semantics: same
 * key → same object), subscriptions, invoices, billing meter events (deduplicated by identifier),
 * and webhook deliveries signed with Stripe's real scheme. Knobs fail or stall the next calls.
 */
export class StripeStandIn {
  /** The next N customer creations answer 500. */
  failNext = 0;
  alwaysFail = false;
  delayMs = 0;
  readonly customersByKey = new Map<string, Customer>();
  readonly customers = new Map<string, Customer>();
  readonly subscriptions = new Map<string, Subscription>();
  readonly invoices = new Map<string, Invoice>();
  readonly meterEvents = new Map<string, MeterEvent>();
  /** Subscription updates that asked for proration. */
  readonly prorations: { subscription: string; price: string; behavior: string }[] = [];
  /** Meter event requests received, duplicates included. */
  meterEventCalls = 0;
  calls = 0;
  private readonly idempotent = new Map<string, unknown>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on(
        'end',
        () =>
          void this.handle(req.method ?? 'GET', req.url ?? '/', req.headers['idempotency-key'], body).then(([status, json]) => {
            res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(6).toString('hex')}` });
            res.end(JSON.stringify(json));
          }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Sets a subscription's state as Stripe would after a change on its side (a cancellation, a failed renewal). */
  setSubscription(subscriptionId: string, change: { status?: string; priceId?: string }): Subscription {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`stand-in: no subscription ${subscriptionId}`);
    if (change.status) subscription.status = change.status;
    if (change.priceId) subscription.items.data[0]!.price.id = change.priceId;
    return subscription;
  }

  addInvoice(customer: string, status: string): Invoice {
    const invoice: Invoice = { id: id('in'), object: 'invoice', customer, status };
    this.invoices.set(invoice.id, invoice);
    return invoice;
  }

  /** POSTs a webhook event to `url`, signed with `secret` as Stripe signs (or with `signature` as given). */
  async deliver(
    url: string,
    secret: string,
    type: string,
    object: unknown,
    options: { eventId?: string; signature?: string | null } = {},
  ): Promise<{ status: number; body: unknown; eventId: string }> {
    const eventId = options.eventId ?? id('evt');
    const payload = JSON.stringify({
      id: eventId,
      object: 'event',
      api_version: '2025-11-17.clover',
      created: Math.floor(Date.now() / 1000),
      type,
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
    const signature = options.signature === undefined ? Stripe.webhooks.generateTestHeaderString({ payload, secret }) : options.signature;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'stripe-signature': signature }) },
      body: payload,
    });
    return { status: response.status, body: await response.json().catch(() => null), eventId };
  }

  private async handle(method: string, url: string, key: string | string[] | undefined, body: string): Promise<[number, unknown]> {
    const path = url.split('?')[0]!;
    const form = new URLSearchParams(body);
    const idempotencyKey = Array.isArray(key) ? key[0] : key;
    if (method === 'POST' && idempotencyKey && this.idempotent.has(idempotencyKey)) return [200, this.idempotent.get(idempotencyKey)];
    const remember = <T>(value: T): [number, T] => {
      if (method === 'POST' && idempotencyKey) this.idempotent.set(idempotencyKey, value);
      return [200, value];
    };

    if (method === 'POST' && path === '/v1/customers') return this.createCustomer(idempotencyKey, form);
    let match = /^\/v1\/customers\/([\w]+)$/.exec(path);
    if (method === 'GET' && match) return this.found(this.customers.get(match[1]!));

    if (method === 'POST' && path === '/v1/subscriptions') {
      const subscription: Subscription = {
        id: id('sub'),
        object: 'subscription',
        customer: form.get('customer') ?? '',
        status: 'active',
        metadata: { tenantId: form.get('metadata[tenantId]') ?? '' },
        items: {
          object: 'list',
          data: [
            {
              id: id('si'),
              object: 'subscription_item',
              price: { id: form.get('items[0][price]') ?? '', object: 'price' },
              current_period_end: Math.floor(Date.now() / 1000) + 30 * 24 * 3600,
            },
          ],
        },
      };
      this.subscriptions.set(subscription.id, subscription);
      return remember(subscription);
    }
    match = /^\/v1\/subscriptions\/([\w]+)$/.exec(path);
    if (match) {
      const subscription = this.subscriptions.get(match[1]!);
      if (method === 'POST' && subscription) {
        const price = form.get('items[0][price]');
        if (price) subscription.items.data[0]!.price.id = price;
        if (form.get('proration_behavior'))
          this.prorations.push({ subscription: subscription.id, price: price ?? '', behavior: form.get('proration_behavior') ?? '' });
      }
      if (method === 'DELETE' && subscription) subscription.status = 'canceled';
      return this.found(subscription);
    }
    match = /^\/v1\/invoices\/([\w]+)$/.exec(path);
    if (method === 'GET' && match) return this.found(this.invoices.get(match[1]!));

    if (method === 'POST' && path === '/v1/billing/meter_events') {
      this.meterEventCalls += 1;
      const identifier = form.get('identifier') ?? id('mev');
      const event: MeterEvent = {
        event_name: form.get('event_name') ?? '',
        identifier,
        value: Number(form.get('payload[value]')),
        customer: form.get('payload[stripe_customer_id]') ?? '',
      };
      // Stripe keeps the first event of an identifier and ignores the others.
      if (!this.meterEvents.has(identifier)) this.meterEvents.set(identifier, event);
      return [
        200,
        {
          object: 'billing.meter_event',
          ...this.meterEvents.get(identifier),
          payload: {},
          created: Math.floor(Date.now() / 1000),
          livemode: false,
        },
      ];
    }
    return [404, { error: { type: 'invalid_request_error', message: `stand-in: unknown route ${method} ${path}` } }];
  }

  private found(object: unknown): [number, unknown] {
    return object
      ? [200, object]
      : [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such object' } }];
  }

  private async createCustomer(idempotencyKey: string | undefined, form: URLSearchParams): Promise<[number, unknown]> {
    this.calls += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.alwaysFail || this.failNext > 0) {
      this.failNext = Math.max(0, this.failNext - 1);
      return [500, { error: { type: 'api_error', message: 'stand-in: temporarily unavailable' } }];
    }
    const existing = idempotencyKey ? this.customersByKey.get(idempotencyKey) : undefined;
    if (existing) return [200, existing];
    const customer: Customer = {
      id: id('cus'),
      object: 'customer',
      name: form.get('name') ?? '',
      email: form.get('email') ?? '',
      metadata: { tenantId: form.get('metadata[tenantId]') ?? '' },
    };
    this.customers.set(customer.id, customer);
    if (idempotencyKey) this.customersByKey.set(idempotencyKey, customer);
    return [200, customer];
  }
}
