import { expect } from 'chai';
import Stripe from 'stripe';
import { Role } from '../../../src/engine/identity/roles.js';
import { print } from 'graphql';
import { BillingDocument, ChangePlanDocument, CreateProjectDocument } from '../../generated/graphql.js';
import { execute, expectError, ok } from '../../support/client.js';
import { startExtraServer, startExtraWorker, type ExtraServer } from '../../support/extra-server.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { StripeStandIn } from '../../support/stripe-stand-in.js';
import { waitUntil } from '../../support/wait.js';
import { pauseSharedWorker, resumeSharedWorker, testEnv } from '../../setup/environment.js';

const WEBHOOK_SECRET = 'whsec_tessera_test_secret';
const PRICES = { PRO: 'price_test_pro', ENTERPRISE: 'price_test_enterprise' };

async function tenantRow(id: string) {
  const [row] = await adminQuery<{ plan: string; status: string; billing: Record<string, string> }>(
    'select plan, status, billing from tenants where id = $1',
    [id],
  );
  return row!;
}

async function runJob(task: string, tenantId: string): Promise<void> {
  const { id } = await adminOne<{ id: string }>('select (graphile_worker.add_job($1, json_build_object($2::text, $3::text))).id', [
    task,
    'tenantId',
    tenantId,
  ]);
  await waitUntil(
    () => adminQuery('select 1 from graphile_worker.jobs where id = $1', [id]),
    (rows) => rows.length === 0,
  );
}

describe('billing through Stripe', () => {
  const standIn = new StripeStandIn();
  let stripe: Stripe;
  let gateway: ExtraServer;
  let env: Record<string, string>;
  let webhookUrl: string;

  /** A tenant with a Stripe customer whose metadata names it, as provisioning leaves it. */
  async function billedTenant(plan: 'FREE' | 'PRO' = 'FREE'): Promise<TestTenant & { customerId: string }> {
    const tenant = await provisionTenant('billed', plan);
    const customer = await stripe.customers.create({ name: tenant.slug, metadata: { tenantId: tenant.id } });
    await adminQuery(`update tenants set billing = billing || jsonb_build_object('stripeCustomerId', $2::text) where id = $1`, [
      tenant.id,
      customer.id,
    ]);
    return { ...tenant, customerId: customer.id };
  }

  before(async () => {
    const url = new URL(await standIn.start());
    stripe = new Stripe('sk_test_standin', { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
    env = {
      REDIS_URL: testEnv().redisUrl,
      STRIPE_SECRET_KEY: 'sk_test_standin',
      STRIPE_API_URL: url.origin,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PRICE_PRO: PRICES.PRO,
      STRIPE_PRICE_ENTERPRISE: PRICES.ENTERPRISE,
    };
    gateway = await startExtraServer(env);
    webhookUrl = new URL('/webhooks/stripe', gateway.url).toString();
  });

  after(async () => {
    await gateway.stop();
    await standIn.stop();
  });

  it('refuses a missing, forged or foreign-secret signature with 400 and processes nothing', async () => {
    const tenant = await billedTenant();
    const subscription = await stripe.subscriptions.create({ customer: tenant.customerId, items: [{ price: PRICES.PRO }] });
    const forged = 't=1700000000,v1=' + 'ab'.repeat(32);
    for (const signature of [null, forged, undefined]) {
      const secret = signature === undefined ? 'whsec_someone_else' : WEBHOOK_SECRET;
      const delivery = await standIn.deliver(webhookUrl, secret, 'customer.subscription.created', subscription, { signature });
      expect(delivery.status).to.equal(400);
    }
    expect((await tenantRow(tenant.id)).plan).to.equal('FREE');
    expect(await adminQuery('select 1 from billing_events where tenant_id = $1', [tenant.id])).to.have.length(0);
  });

  it('applies a subscription once per event id, and follows Stripe rather than a late event body', async () => {
    const tenant = await billedTenant();
    const subscription = await stripe.subscriptions.create({ customer: tenant.customerId, items: [{ price: PRICES.PRO }] });
    const created = await standIn.deliver(webhookUrl, WEBHOOK_SECRET, 'customer.subscription.created', subscription);
    expect(created).to.deep.include({ status: 200, body: { received: true, outcome: 'applied' } });
    expect((await tenantRow(tenant.id)).plan).to.equal('PRO');

    const again = await standIn.deliver(webhookUrl, WEBHOOK_SECRET, 'customer.subscription.created', subscription, {
      eventId: created.eventId,
    });
    expect(again.body).to.deep.equal({ received: true, outcome: 'duplicate' });
    expect(await adminQuery('select 1 from billing_events where tenant_id = $1', [tenant.id])).to.have.length(1);

    // Upgraded on Stripe's side; the older "still PRO" update arrives after the newer one.
    const stale = structuredClone(standIn.subscriptions.get(subscription.id));
    standIn.setSubscription(subscription.id, { priceId: PRICES.ENTERPRISE });
    await standIn.deliver(webhookUrl, WEBHOOK_SECRET, 'customer.subscription.updated', standIn.subscriptions.get(subscription.id));
    await standIn.deliver(webhookUrl, WEBHOOK_SECRET, 'customer.subscription.updated', stale);
    expect((await tenantRow(tenant.id)).plan).to.equal('ENTERPRISE');

    // Canceled: back to FREE, data kept.
    standIn.setSubscription(subscription.id, { status: 'canceled' });
    await standIn.deliver(webhookUrl, WEBHOOK_SECRET, 'customer.subscription.deleted', standIn.subscriptions.get(subscription.id));
    const row = await tenantRow(tenant.id);
    expect(row.plan).to.equal('FREE');
    expect(row.billing.subscriptionStatus).to.equal('canceled');
  });

  it('ignores an event about a customer that is not the tenant its metadata names', async () => {
    const tenant = await billedTenant();
    const impostor = await stripe.customers.create({ metadata: { tenantId: tenant.id } });
    const subscription = await stripe.subscriptions.create({ customer: impostor.id, items: [{ price: PRICES.ENTERPRISE }] });
    const delivery = await standIn.deliver(webhookUrl, WEBHOOK_SECRET, 'customer.subscription.created', subscription);
    expect(delivery.body).to.deep.equal({ received: true, outcome: 'ignored' });
    expect((await tenantRow(tenant.id)).plan).to.equal('FREE');
  });

  it('moves a failed payment to past due, suspends after the grace period, and restores on payment', async () => {
    const tenant = await billedTenant('PRO');
    const invoice = standIn.addInvoice(tenant.customerId, 'open');
    const failed = await standIn.deliver(webhookUrl, WEBHOOK_SECRET, 'invoice.payment_failed', invoice);
    expect(failed.body).to.deep.include({ outcome: 'applied' });
    expect((await tenantRow(tenant.id)).billing.pastDueSince).to.be.a('string');
    expect(ok(await execute(BillingDocument, {}, { token: tenant.token })).billing.status).to.equal('PAST_DUE');

    // Inside the grace period the job leaves the tenant alone.
    await runJob('enforce-billing-grace-period', tenant.id);
    expect((await tenantRow(tenant.id)).status).to.equal('ACTIVE');

    await adminQuery(
      `update tenants set billing = billing || jsonb_build_object('pastDueSince', (now() - interval '8 days')::text) where id = $1`,
      [tenant.id],
    );
    await runJob('enforce-billing-grace-period', tenant.id);
    expect((await tenantRow(tenant.id)).status).to.equal('SUSPENDED');
    await waitUntil(
      () => execute(CreateProjectDocument, { input: { name: 'While suspended' } }, { token: tenant.token }),
      (response) => response.errors?.[0]?.extensions?.code === 'TENANT_SUSPENDED',
    );

    standIn.invoices.get(invoice.id)!.status = 'paid';
    await standIn.deliver(webhookUrl, WEBHOOK_SECRET, 'invoice.paid', invoice);
    const restored = await tenantRow(tenant.id);
    expect(restored.status).to.equal('ACTIVE');
    expect(restored.billing.pastDueSince).to.equal(undefined);
    await waitUntil(
      () => execute(CreateProjectDocument, { input: { name: 'Paid again' } }, { token: tenant.token }),
      (response) => !response.errors,
    );
  });

  it('reports each closed hour of API calls to the meter once, even when the job runs again', async () => {
    const tenant = await billedTenant('PRO');
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    await adminQuery(
      `insert into usage_rollups (id, tenant_id, metric, granularity, bucket_start, quantity) values (gen_random_uuid(), $1, 'API_CALLS', 'HOUR', $2, 42)`,
      [tenant.id, hour],
    );
    await pauseSharedWorker();
    const worker = await startExtraWorker(env);
    try {
      await runJob('report-usage', tenant.id);
      // As if the process died after Stripe answered but before reportedAt was saved.
      await adminQuery('update usage_rollups set reported_at = null where tenant_id = $1', [tenant.id]);
      await runJob('report-usage', tenant.id);
    } finally {
      await worker.stop();
      await resumeSharedWorker();
    }
    const events = [...standIn.meterEvents.values()].filter((event) => event.customer === tenant.customerId);
    expect(events).to.deep.equal([
      { event_name: 'tessera_api_calls', identifier: `${tenant.id}:${hour.toISOString()}`, value: 42, customer: tenant.customerId },
    ]);
  });

  it('changes plan through Stripe: a subscription, then a prorated price change, then cancelled for FREE', async () => {
    const tenant = await billedTenant('FREE');
    const changePlan = async (plan: string) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}` },
        body: JSON.stringify({ query: print(ChangePlanDocument), variables: { plan } }),
      });
      return (await response.json()) as { data?: { changePlan: { plan: string } | null }; errors?: unknown[] };
    };
    expect((await changePlan('PRO')).data?.changePlan?.plan).to.equal('PRO');
    const subscriptionId = (await tenantRow(tenant.id)).billing.subscriptionId!;
    expect(standIn.subscriptions.get(subscriptionId)?.items.data[0]?.price.id).to.equal(PRICES.PRO);

    expect((await changePlan('ENTERPRISE')).data?.changePlan?.plan).to.equal('ENTERPRISE');
    expect((await tenantRow(tenant.id)).billing.subscriptionId).to.equal(subscriptionId);
    expect(standIn.prorations).to.deep.include({ subscription: subscriptionId, price: PRICES.ENTERPRISE, behavior: 'create_prorations' });

    expect((await changePlan('FREE')).data?.changePlan?.plan).to.equal('FREE');
    expect(standIn.subscriptions.get(subscriptionId)?.status).to.equal('canceled');
    const audit = await adminQuery<{ data: { from: string; to: string } }>(
      `select data from audit_events where tenant_id = $1 and action = 'plan.changed' order by created_at`,
      [tenant.id],
    );
    expect(audit.map((row) => row.data.to)).to.deep.equal(['PRO', 'ENTERPRISE', 'FREE']);
  });

  it('shows the owner plan, status and projected cost, and nobody else', async () => {
    const tenant = await provisionTenant('billing-query', 'PRO');
    const billing = ok(await execute(BillingDocument, {}, { token: tenant.token })).billing;
    expect(billing).to.deep.include({ plan: 'PRO', projectedCost: { amount: 49, currency: 'usd' } });
    expect(new Date(billing.currentPeriodEnd!).getUTCDate()).to.equal(1);
    const manager = await addMember(tenant, Role.MANAGER);
    expectError(await execute(BillingDocument, {}, { token: manager.token }), 'FORBIDDEN');
  });
});
