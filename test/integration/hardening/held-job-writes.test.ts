import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { enqueueJob } from '../../../src/engine/jobs/job-queue.js';
import { inTenantTransaction } from '../../../src/engine/tenancy/tenant-session.js';
import { Project } from '../../../src/modules/projects/project.entity.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminOne } from '../../support/sql.js';

/**
 * A job enqueued inside a transaction has no round trip of its own: it leaves with the
 * transaction's next statement or its COMMIT. It must still be all-or-nothing with the rows
 * written before it.
 */
describe('a job enqueued in a transaction', () => {
  let tenant: TestTenant;

  before(async () => {
    tenant = await provisionTenant('heldjob');
  });

  /** Writes a project, then enqueues a job of a task nobody handles; returns the error, if any. */
  async function writeWithJob(projectName: string, task: string, maxAttempts: number): Promise<unknown> {
    try {
      await inTenantTransaction(testEnv().services.orm.em, tenant.id, async (em) => {
        em.create(Project, { name: projectName, ownerId: tenant.ownerId });
        await em.flush();
        await enqueueJob(em, task, { tenantId: tenant.id }, { maxAttempts });
      });
      return undefined;
    } catch (error) {
      return error;
    }
  }

  const storedProjects = (name: string) =>
    adminOne<{ n: number }>('select count(*)::int as n from projects where tenant_id = $1 and name = $2', [tenant.id, name]);
  /** The task's jobs in graphile-worker's queue plus those still in the outbox on their way there. */
  const storedJobs = (task: string) =>
    adminOne<{ n: number }>(
      `select (select count(*)::int from graphile_worker._private_jobs j
                 join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = $1)
            + (select count(*)::int from job_outbox where task = $1) as n`,
      [task],
    );

  it('is committed with the rows written before it', async () => {
    const task = `held-ok-${randomUUID()}`;
    expect(await writeWithJob('held job ok', task, 1)).to.equal(undefined);
    expect(await storedProjects('held job ok')).to.deep.equal({ n: 1 });
    expect(await storedJobs(task)).to.deep.equal({ n: 1 });
  });

  it('fails the commit when the database refuses it, and the rows written before it are not stored', async () => {
    const task = `held-refused-${randomUUID()}`;
    // max_attempts must be at least 1 (graphile-worker's jobs_max_attempts_check).
    const error = await writeWithJob('held job refused', task, 0);
    expect((error as { code?: string } | undefined)?.code).to.equal('23514');
    expect(await storedProjects('held job refused')).to.deep.equal({ n: 0 });
    expect(await storedJobs(task)).to.deep.equal({ n: 0 });
  });

  it('leaves the pooled connection clean for the next transaction', async () => {
    // The pool is small in tests: every connection has served the refused transaction's successors by now.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await writeWithJob(`held job after ${attempt}`, `held-after-${randomUUID()}`, 1)).to.equal(undefined);
    }
    expect(
      await adminOne<{ n: number }>(`select count(*)::int as n from projects where tenant_id = $1 and name like 'held job after %'`, [
        tenant.id,
      ]),
    ).to.deep.equal({ n: 5 });
  });
});
