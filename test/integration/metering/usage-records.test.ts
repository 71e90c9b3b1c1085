import { expect } from 'chai';
import { adminOne, adminQuery } from '../../support/sql.js';
import { request } from '../../support/client.js';
import { provisionTenant } from '../../support/fixtures.js';
import { waitUntil } from '../../support/wait.js';

async function recordedApiCalls(tenantId: string): Promise<number> {
  const [row] = await adminQuery<{ total: string | null }>(
    `select sum(quantity) as total from usage_records where tenant_id = $1 and metric = 'API_CALLS'`,
    [tenantId],
  );
  return Number(row?.total ?? 0);
}

/** Adds a job as the gateway would and waits until the shared worker has run it. */
async function runJob(task: string, payload: Record<string, unknown>): Promise<void> {
  const { id } = await adminOne<{ id: string }>('select (graphile_worker.add_job($1, $2::json)).id', [task, JSON.stringify(payload)]);
  await waitUntil(
    () => adminQuery('select 1 from graphile_worker.jobs where id = $1', [id]),
    (rows) => rows.length === 0,
  );
}

describe('usage records', () => {
  it('records every authenticated operation, in batches flushed within about a second', async () => {
    const tenant = await provisionTenant('metered', 'PRO');
    await Promise.all(Array.from({ length: 25 }, () => request('{ currentTenant { id } }', {}, { token: tenant.token })));
    const total = await waitUntil(
      () => recordedApiCalls(tenant.id),
      (sum) => sum >= 25,
      10_000,
    );
    // Batches, not a row per call.
    const { rows } = await adminOne<{ rows: string }>('select count(*) as rows from usage_records where tenant_id = $1', [tenant.id]);
    expect(Number(rows)).to.be.lessThan(total);
  });

  it('records each new project as a billable event, keyed by the project', async () => {
    const tenant = await provisionTenant('project-events', 'PRO');
    const created = await request<{ createProject: { id: string } }>(
      'mutation { createProject(input: { name: "Billed" }) { id } }',
      {},
      { token: tenant.token },
    );
    const projectId = created.data?.createProject.id;
    const rows = await waitUntil(
      () =>
        adminQuery<{ quantity: number }>(
          `select quantity from usage_records where tenant_id = $1 and metric = 'PROJECTS' and idempotency_key = $2`,
          [tenant.id, `project:${projectId}`],
        ),
      (found) => found.length > 0,
    );
    expect(rows).to.deep.equal([{ quantity: 1 }]);
  });

  it("records the owner's seat of a new tenant as a billable event, keyed by the membership", async () => {
    const tenant = await provisionTenant('seat-events', 'PRO');
    const { id: membershipId } = await adminOne<{ id: string }>('select id from memberships where tenant_id = $1 and user_id = $2', [
      tenant.id,
      tenant.ownerId,
    ]);
    const rows = await waitUntil(
      () =>
        adminQuery<{ quantity: number }>(
          `select quantity from usage_records where tenant_id = $1 and metric = 'SEATS' and idempotency_key = $2`,
          [tenant.id, `seat:${membershipId}`],
        ),
      (found) => found.length > 0,
    );
    expect(rows).to.deep.equal([{ quantity: 1 }]);
  });

  it('ignores a batch whose idempotency key was already recorded', async () => {
    const tenant = await provisionTenant('idempotent', 'PRO');
    const batch = {
      tenantId: tenant.id,
      metric: 'API_CALLS',
      quantity: 7,
      idempotencyKey: `test:${tenant.id}`,
      occurredAt: new Date().toISOString(),
    };
    await runJob('record-usage', batch);
    await runJob('record-usage', batch);
    const rows = await adminQuery<{ quantity: number }>(
      'select quantity from usage_records where tenant_id = $1 and idempotency_key = $2',
      [tenant.id, batch.idempotencyKey],
    );
    expect(rows).to.deep.equal([{ quantity: 7 }]);
  });

  it('rolls records up per hour and per day, and a second run counts nothing twice', async () => {
    const tenant = await provisionTenant('rollup', 'PRO');
    const occurredAt = new Date().toISOString();
    // PROJECTS, which no flush of API calls adds to while the test runs.
    for (const [key, quantity] of [
      ['a', 3],
      ['b', 4],
    ] as const) {
      await runJob('record-usage', { tenantId: tenant.id, metric: 'PROJECTS', quantity, idempotencyKey: `rollup:${key}`, occurredAt });
    }
    const rollups = () =>
      adminQuery<{ granularity: string; quantity: number }>(
        `select granularity, quantity from usage_rollups where tenant_id = $1 and metric = 'PROJECTS' and granularity = 'HOUR' and bucket_start = date_trunc($2, $3::timestamptz, 'UTC')
         union all
         select granularity, quantity from usage_rollups where tenant_id = $1 and metric = 'PROJECTS' and granularity = 'DAY' and bucket_start = date_trunc('day', $3::timestamptz, 'UTC')`,
        [tenant.id, 'hour', occurredAt],
      );
    await runJob('roll-up-usage', { tenantId: tenant.id });
    const first = await rollups();
    await runJob('roll-up-usage', { tenantId: tenant.id });
    const second = await rollups();
    expect(first).to.deep.equal([
      { granularity: 'HOUR', quantity: 7 },
      { granularity: 'DAY', quantity: 7 },
    ]);
    expect(second).to.deep.equal(first);
  });
});
