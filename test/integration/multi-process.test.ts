import { expect } from 'chai';
import { print } from 'graphql';
import { CurrentTenantDocument, ProvisionTenantDocument } from '../generated/graphql.js';
import { pauseSharedWorker, resumeSharedWorker, useOwnEnvironment } from '../setup/environment.js';
import { TEST_PASSWORD, uniqueSlug, waitForProvisioning } from '../support/fixtures.js';
import { startGatewayProcess, startWorkerProcess, type ChildService } from '../support/processes.js';
import { adminOne, adminQuery } from '../support/sql.js';
import { StripeStandIn } from '../support/stripe-stand-in.js';
import { waitUntil } from '../support/wait.js';
import { wsClient } from '../support/ws.js';

const PROGRESS = `subscription ($id: ID!) { provisioningProgress(id: $id) { status step stepStatus } }`;

async function post(url: string, query: string, variables: object, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

async function signUpThrough(url: string) {
  const slug = uniqueSlug('mp');
  const response = await post(url, print(ProvisionTenantDocument), {
    input: { name: slug, slug, ownerEmail: `owner@${slug}.example.com`, ownerPassword: TEST_PASSWORD, ownerName: 'O' },
  });
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  const data = response.data.provisionTenant;
  return { tenantId: data.tenant.id as string, provisioningId: data.provisioning.id as string, token: data.token as string };
}

describe('several gateway and worker processes on one PostgreSQL and one Redis', function () {
  this.timeout(90_000);
  // A database of its own: worker processes of its own, the in-process worker paused.
  useOwnEnvironment();
  const children: ChildService[] = [];
  const stripe = new StripeStandIn();
  let stripeUrl: string;

  before(async () => {
    await pauseSharedWorker();
    stripeUrl = await stripe.start();
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.stop()));
  });

  after(async () => {
    await stripe.stop();
    await resumeSharedWorker();
  });

  it('a subscriber on gateway 1 sees every step a separate worker process makes for a sign-up on gateway 2', async () => {
    const [gateway1, gateway2] = await Promise.all([startGatewayProcess(), startGatewayProcess()]);
    children.push(gateway1, gateway2);
    const run = await signUpThrough(gateway2.url);
    // Both gateways have now seen the tenant as PROVISIONING (cached); the worker's change must reach them.
    expect((await post(gateway1.url, print(CurrentTenantDocument), {}, run.token)).errors?.[0]?.extensions?.code).to.equal(
      'TENANT_REQUIRED',
    );

    const client = wsClient(run.token, {}, gateway1.url);
    const events: { step: string | null; stepStatus: string | null; status: string }[] = [];
    const finished = new Promise<void>((resolve, reject) =>
      client.subscribe(
        { query: PROGRESS, variables: { id: run.provisioningId } },
        {
          next: (value: any) =>
            value.errors ? reject(new Error(JSON.stringify(value.errors))) : events.push(value.data.provisioningProgress),
          error: reject,
          complete: resolve,
        },
      ),
    );
    // Nothing happens before a worker runs: the job waits, untouched (no fixed sleep to prove it).
    const job = await adminOne<{ locked: boolean; attempts: number }>(
      `select locked_at is not null as locked, attempts from graphile_worker.jobs where key = $1`,
      [`provision:${run.tenantId}`],
    );
    expect(job, 'the provisioning job waits for a worker').to.deep.equal({ locked: false, attempts: 0 });
    expect(events, 'nothing happens before a worker runs').to.deep.equal([]);
    children.push(await startWorkerProcess());
    await finished;
    await client.dispose();

    expect(events.filter((e) => e.step).map((e) => `${e.step}:${e.stepStatus}`)).to.deep.equal([
      'default-settings:RUNNING',
      'default-settings:COMPLETED',
      'sample-data:RUNNING',
      'sample-data:COMPLETED',
      'billing-customer:RUNNING',
      'billing-customer:SKIPPED',
      'welcome-notification:RUNNING',
      'welcome-notification:COMPLETED',
    ]);
    expect(events.at(-1)).to.deep.include({ step: null, status: 'COMPLETED' });
    for (const gateway of [gateway1, gateway2]) {
      const current = await post(gateway.url, print(CurrentTenantDocument), {}, run.token);
      expect(current.data?.currentTenant?.id, JSON.stringify(current)).to.equal(run.tenantId);
    }
  });

  it('a worker killed in the middle of provisioning is taken over: the tenant ends ACTIVE, each step done once', async () => {
    const gateway = await startGatewayProcess();
    children.push(gateway);
    const workerEnv = { STRIPE_SECRET_KEY: 'sk_test_stand_in', STRIPE_API_URL: stripeUrl, WORKER_STALE_AFTER_SECONDS: '2' };
    const doomed = await startWorkerProcess(workerEnv);
    children.push(doomed);
    stripe.delayMs = 5_000;
    const run = await signUpThrough(gateway.url);
    await waitUntil(
      () =>
        adminQuery<{ status: string }>(
          `select s.status from provisioning_steps s join provisionings p on p.id = s.provisioning_id
           where p.id = $1 and s.step = 'billing-customer'`,
          [run.provisioningId],
        ),
      ([step]) => step?.status === 'RUNNING',
      20_000,
    );
    await doomed.kill();
    stripe.delayMs = 0;
    children.push(await startWorkerProcess(workerEnv));

    const done = await waitForProvisioning(run.provisioningId, run.token, 'COMPLETED', 40_000);
    expect(done!.tenant.status).to.equal('ACTIVE');
    const attempts = Object.fromEntries(done!.steps.map((step) => [step.step, [step.status, step.attempts]]));
    expect(attempts).to.deep.equal({
      'default-settings': ['COMPLETED', 1],
      'sample-data': ['COMPLETED', 1],
      'billing-customer': ['COMPLETED', 2],
      'welcome-notification': ['COMPLETED', 1],
    });
    const sample = await adminOne<{ projects: number; tasks: number }>(
      `select (select count(*)::int from projects where tenant_id = $1) as projects,
              (select count(*)::int from tasks where tenant_id = $1) as tasks`,
      [run.tenantId],
    );
    expect(sample).to.deep.equal({ projects: 1, tasks: 3 });
    // Stripe saw the step twice but, through its idempotency key, created one customer.
    const customers = [...stripe.customersByKey.values()].filter((customer) => customer.metadata.tenantId === run.tenantId);
    expect(customers).to.have.length(1);
    const [customer] = customers;
    const tenant = await adminOne<{ billing: { stripeCustomerId: string } }>('select billing from tenants where id = $1', [run.tenantId]);
    expect(tenant.billing.stripeCustomerId).to.equal(customer?.id);
  });
});
