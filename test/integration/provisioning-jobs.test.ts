import { expect } from 'chai';
import { print } from 'graphql';
import { ProvisioningDocument, ProvisionTenantDocument } from '../generated/graphql.js';
import { pauseSharedWorker, resumeSharedWorker, useOwnEnvironment } from '../setup/environment.js';
import { execute, ok, request } from '../support/client.js';
import { startExtraWorker, type ExtraWorker } from '../support/extra-server.js';
import { TEST_PASSWORD, uniqueSlug, waitForProvisioning } from '../support/fixtures.js';
import { adminOne } from '../support/sql.js';
import { StripeStandIn } from '../support/stripe-stand-in.js';
import { wsClient } from '../support/ws.js';

const PROGRESS = `subscription Progress($id: ID!) {
  provisioningProgress(id: $id) { provisioningId status step stepStatus message at }
}`;

interface ProgressEvent {
  provisioningId: string;
  status: string;
  step: string | null;
  stepStatus: string | null;
  message: string;
}

async function signUp() {
  const slug = uniqueSlug('job');
  const data = ok(
    await execute(ProvisionTenantDocument, {
      input: { name: slug, slug, ownerEmail: `owner@${slug}.example.com`, ownerPassword: TEST_PASSWORD, ownerName: 'O' },
    }),
  ).provisionTenant;
  return { slug, tenantId: data.tenant.id, provisioningId: data.provisioning.id, token: data.token };
}

/** Collects a subscription's events until it completes. */
function collect(token: string, provisioningId: string): Promise<ProgressEvent[]> {
  const client = wsClient(token);
  const events: ProgressEvent[] = [];
  return new Promise<ProgressEvent[]>((resolve, reject) => {
    client.subscribe<{ provisioningProgress: ProgressEvent }>(
      { query: PROGRESS, variables: { id: provisioningId } },
      {
        next: (value) => {
          if (value.errors) reject(new Error(JSON.stringify(value.errors)));
          else events.push(value.data!.provisioningProgress);
        },
        error: reject,
        complete: () => resolve(events),
      },
    );
  }).finally(() => client.dispose());
}

describe('provisioning in the background (graphile-worker)', function () {
  this.timeout(60_000);
  // A database of its own: its own worker, paused while an extra one with a billing stand-in runs.
  useOwnEnvironment();
  const stripe = new StripeStandIn();
  let worker: ExtraWorker;

  before(async () => {
    await pauseSharedWorker();
    const url = await stripe.start();
    worker = await startExtraWorker({ STRIPE_SECRET_KEY: 'sk_test_stand_in', STRIPE_API_URL: url });
  });

  after(async () => {
    await worker.stop();
    await stripe.stop();
    await resumeSharedWorker();
  });

  it('streams every step in order to the owner, ending with the tenant ACTIVE and a billing customer', async () => {
    const run = await signUp();
    const events = await collect(run.token, run.provisioningId);
    const steps = events.filter((event) => event.step).map((event) => `${event.step}:${event.stepStatus}`);
    expect(steps).to.deep.equal([
      'default-settings:RUNNING',
      'default-settings:COMPLETED',
      'sample-data:RUNNING',
      'sample-data:COMPLETED',
      'billing-customer:RUNNING',
      'billing-customer:COMPLETED',
      'welcome-notification:RUNNING',
      'welcome-notification:COMPLETED',
    ]);
    expect(events.at(-1)).to.include({ step: null, status: 'COMPLETED' });
    const tenant = await adminOne<{ status: string; billing: { stripeCustomerId: string } }>(
      'select status, billing from tenants where id = $1',
      [run.tenantId],
    );
    expect(tenant.status).to.equal('ACTIVE');
    expect(tenant.billing.stripeCustomerId).to.equal(stripe.customersByKey.get(`tessera-customer-${run.tenantId}`)?.id);
    const owned = await request<{
      projects: { edges: { node: { name: string; taskCount: number } }[] };
      notifications: { edges: { node: { kind: string } }[] };
    }>('{ projects { edges { node { name taskCount } } } notifications { edges { node { kind } } } }', {}, { token: run.token });
    expect(owned.data?.projects.edges.map((edge) => edge.node)).to.deep.equal([{ name: 'Getting started', taskCount: 3 }]);
    expect(owned.data?.notifications.edges.map((edge) => edge.node.kind)).to.deep.equal(['tenant.welcome']);
  });

  it('retries a step that fails twice, then succeeds, and records its attempts', async function () {
    stripe.failNext = 2;
    const run = await signUp();
    const done = await waitForProvisioning(run.provisioningId, run.token, 'COMPLETED', 40_000);
    const billing = done!.steps.find((step) => step.step === 'billing-customer')!;
    expect(billing).to.include({ status: 'COMPLETED', attempts: 3 });
    for (const step of ['default-settings', 'sample-data']) {
      expect(done!.steps.find((s) => s.step === step)).to.include({ status: 'COMPLETED', attempts: 1 });
    }
    expect([...stripe.customersByKey.keys()].filter((key) => key.endsWith(run.tenantId))).to.have.length(1);
  });

  it('marks the tenant FAILED, inactive and with the reason, when the attempts run out', async () => {
    stripe.alwaysFail = true;
    try {
      const run = await signUp();
      const failed = await waitForProvisioning(run.provisioningId, run.token, 'FAILED', 40_000);
      expect(failed!.failureReason).to.match(/^billing-customer: /);
      expect(failed!.tenant).to.include({ status: 'FAILED' });
      expect(failed!.tenant.statusReason).to.equal(failed!.failureReason);
      // A FAILED tenant is not served: its token names no tenant.
      const probe = await execute(
        ProvisioningDocument,
        { id: run.provisioningId },
        { token: run.token, headers: { 'x-tenant-id': run.tenantId } },
      );
      expect(probe.errors?.[0]?.extensions?.code).to.equal('TENANT_NOT_FOUND');
    } finally {
      stripe.alwaysFail = false;
    }
  });

  it('shows a run only to its owner', async () => {
    const run = await signUp();
    const other = await signUp();
    expect(ok(await execute(ProvisioningDocument, { id: run.provisioningId }, { token: other.token })).provisioning).to.equal(null);
    expect((await execute(ProvisioningDocument, { id: run.provisioningId })).errors?.[0]?.extensions?.code).to.equal('UNAUTHENTICATED');
    const refused = await new Promise<unknown>((resolve) => {
      const client = wsClient(other.token);
      client.subscribe(
        { query: PROGRESS, variables: { id: run.provisioningId } },
        {
          next: (value) => resolve(value),
          error: (error) => resolve(error),
          complete: () => undefined,
        },
      );
    });
    expect(JSON.stringify(refused)).to.contain('FORBIDDEN');
    expect(print(ProvisioningDocument)).to.contain('provisioning');
  });
});
