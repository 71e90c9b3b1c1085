import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Customer {
  id: string;
  object: 'customer';
  name: string;
  email: string;
  metadata: Record<string, string>;
}

/**
 * A local Stripe for the real Stripe SDK: POST /v1/customers with Stripe's idempotency-key
 * semantics (same key → same customer), plus knobs to fail or stall the next calls.
 */
export class StripeStandIn {
  /** The next N creations answer 500. */
  failNext = 0;
  alwaysFail = false;
  delayMs = 0;
  readonly customersByKey = new Map<string, Customer>();
  calls = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => void this.handle(req.method, req.url, req.headers['idempotency-key'], body).then(([status, json]) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(6).toString('hex')}` });
        res.end(JSON.stringify(json));
      }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(method: string | undefined, url: string | undefined, key: string | string[] | undefined, body: string): Promise<[number, unknown]> {
    if (method !== 'POST' || url !== '/v1/customers') return [404, { error: { type: 'invalid_request_error', message: 'stand-in: unknown route' } }];
    this.calls += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.alwaysFail || this.failNext > 0) {
      this.failNext = Math.max(0, this.failNext - 1);
      return [500, { error: { type: 'api_error', message: 'stand-in: temporarily unavailable' } }];
    }
    const idempotencyKey = Array.isArray(key) ? key[0] : key;
    const existing = idempotencyKey ? this.customersByKey.get(idempotencyKey) : undefined;
    if (existing) return [200, existing];
    const form = new URLSearchParams(body);
    const customer: Customer = {
      id: `cus_${randomBytes(7).toString('hex')}`,
      object: 'customer',
      name: form.get('name') ?? '',
      email: form.get('email') ?? '',
      metadata: { tenantId: form.get('metadata[tenantId]') ?? '' },
    };
    if (idempotencyKey) this.customersByKey.set(idempotencyKey, customer);
    return [200, customer];
  }
}
