import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { enqueueJob } from '../../../src/engine/jobs/job-queue.js';
import { inTenantTransaction } from '../../../src/engine/tenancy/tenant-session.js';
import { pauseSharedWorker, resumeSharedWorker, testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminOne, adminQuery, sqlState, withAppRoleClient } from '../../support/sql.js';
import { waitUntil } from '../../support/wait.js';

/**
 * A job without a key is written to the outbox in its transaction and moved into graphile-worker's
 * queue after the commit: by the process that committed it, or by a worker's poll when that
 * process stopped first. It must reach the queue exactly once, and never for a rollback.
 */
describe('the job outbox', () => {
  let tenant: TestTenant;

  before(async () => {
    tenant = await provisionTenant('outbox');
  });

  /** Where the task's jobs are: still in the outbox, or in graphile-worker's queue (one snapshot). */
  const jobsOf = (task: string) =>
    adminOne<{ outbox: number; queued: number }>(
      `select (select count(*)::int from job_outbox where task = $1) as outbox,
              (select count(*)::int from graphile_worker._private_jobs j
                 join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = $1) as queued`,
      [task],
    );

  describe('with no worker running', () => {
    before(pauseSharedWorker);
    after(resumeSharedWorker);

    it('reaches the queue soon after the commit, moved by the process that committed it', async () => {
      const task = `outbox-committed-${randomUUID()}`;
      await inTenantTransaction(testEnv().services.orm.em, tenant.id, (em) =>
        enqueueJob(em, task, { tenantId: tenant.id, note: 'hello' }, { maxAttempts: 3 }),
      );
      await waitUntil(
        () => jobsOf(task),
        (jobs) => jobs.queued === 1,
        2_000,
      );
      expect(await jobsOf(task)).to.deep.equal({ outbox: 0, queued: 1 });
      const job = await adminOne<{ payload: unknown; max_attempts: number }>(
        `select j.payload, j.max_attempts from graphile_worker._private_jobs j
           join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = $1`,
        [task],
      );
      expect(job).to.deep.equal({ payload: { tenantId: tenant.id, note: 'hello' }, max_attempts: 3 });
    });

    it('never reaches the queue when its transaction rolls back', async () => {
      const task = `outbox-rolled-back-${randomUUID()}`;
      const failure = await inTenantTransaction(testEnv().services.orm.em, tenant.id, async (em) => {
        await enqueueJob(em, task, { tenantId: tenant.id });
        await em.execute('select 1 / 0');
      }).catch((error: unknown) => error);
      expect((failure as { code?: string }).code).to.equal('22012');
      await testEnv().services.jobOutbox.relay();
      expect(await jobsOf(task)).to.deep.equal({ outbox: 0, queued: 0 });
    });

    it('moves rows left behind once each, when relays run at once', async () => {
      const task = `outbox-left-${randomUUID()}`;
      // Rows of a process that stopped before relaying them; more than one relay statement moves.
      await adminQuery(
        `insert into job_outbox (task, payload, max_attempts) select $1, json_build_object('tenantId', $2::text, 'n', n), 5
           from generate_series(1, 1200) n`,
        [task, tenant.id],
      );
      const relay = testEnv().services.jobOutbox;
      const moved = await Promise.all([relay.relay(), relay.relay(), relay.relay()]);
      expect(moved.reduce((sum, count) => sum + count, 0)).to.be.at.least(1200);
      expect(await jobsOf(task)).to.deep.equal({ outbox: 0, queued: 1200 });
      const distinct = await adminOne<{ n: number }>(
        `select count(distinct j.payload->>'n')::int as n from graphile_worker._private_jobs j
           join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = $1`,
        [task],
      );
      expect(distinct).to.deep.equal({ n: 1200 });
    });
  });

  it('is moved by a worker poll when no process relayed it', async () => {
    const task = `outbox-polled-${randomUUID()}`;
    await adminQuery(`insert into job_outbox (task, payload, max_attempts) values ($1, json_build_object('tenantId', $2::text), 1)`, [
      task,
      tenant.id,
    ]);
    // The shared worker polls every 250 ms; nothing else of this process relays.
    await waitUntil(
      () => jobsOf(task),
      (jobs) => jobs.queued === 1,
      3_000,
    );
    expect(await jobsOf(task)).to.deep.equal({ outbox: 0, queued: 1 });
  });

  it('is written by the app role, which can neither read nor delete it', async () => {
    await withAppRoleClient(async (client) => {
      expect(await sqlState(client.query('select * from job_outbox'))).to.equal('42501');
      expect(await sqlState(client.query('delete from job_outbox'))).to.equal('42501');
      expect(await sqlState(client.query('update job_outbox set max_attempts = 1'))).to.equal('42501');
    });
  });
});
