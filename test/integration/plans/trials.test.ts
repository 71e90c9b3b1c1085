import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import { END_TRIAL_TASK, TRIAL_DAYS } from '../../../src/modules/plans/trial.js';
import {
  AuditLogDocument,
  ChangePlanDocument,
  NotificationsDocument,
  ProjectsDocument,
  TenantPlanDocument,
} from '../../generated/graphql.js';
import { execute, expectError, ok } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject } from '../../support/projects.js';
import { itemAt } from '../../support/lists.js';
import { adminQuery } from '../../support/sql.js';
import { waitUntil } from '../../support/wait.js';

const DAY_MS = 24 * 60 * 60 * 1000;

async function tenantPlan(tenant: TestTenant) {
  return ok(await execute(TenantPlanDocument, {}, { token: tenant.token })).currentTenant!;
}

async function auditActions(tenantId: string): Promise<{ action: string; actor_user_id: string | null; data: any }[]> {
  return adminQuery('select action, actor_user_id, data from audit_events where tenant_id = $1 order by created_at', [tenantId]);
}

/** Makes the tenant's trial due and runs its end-trial job now (the scheduled one is replaced by its key). */
async function expireTrial(tenant: TestTenant): Promise<void> {
  await adminQuery(`update tenants set trial_ends_at = now() - interval '1 minute' where id = $1`, [tenant.id]);
  await adminQuery(`select graphile_worker.add_job($1, $2::json, job_key => $3)`, [
    END_TRIAL_TASK,
    JSON.stringify({ tenantId: tenant.id }),
    `trial:${tenant.id}`,
  ]);
}

async function projectCount(tenant: TestTenant): Promise<number> {
  return ok(await execute(ProjectsDocument, { first: 50 }, { token: tenant.token })).projects!.totalCount;
}

describe('trials and changePlan', function () {
  this.timeout(30_000);

  describe('trial start', () => {
    it(`signing up for PRO or ENTERPRISE starts a ${TRIAL_DAYS}-day trial, with its end-trial job scheduled then`, async () => {
      for (const plan of ['PRO', 'ENTERPRISE'] as const) {
        const tenant = await provisionTenant('trial', plan);
        const current = await tenantPlan(tenant);
        expect(current.plan).to.equal(plan);
        const endsIn = new Date(current.trialEndsAt as string).getTime() - Date.now();
        expect(endsIn).to.be.within(TRIAL_DAYS * DAY_MS - 60_000, TRIAL_DAYS * DAY_MS);
        const jobs = await adminQuery<{ run_at: Date }>(`select run_at from graphile_worker._private_jobs where key = $1`, [
          `trial:${tenant.id}`,
        ]);
        expect(jobs).to.have.length(1);
        expect(itemAt(jobs, 0).run_at.getTime()).to.equal(new Date(current.trialEndsAt as string).getTime());
      }
    });

    it('a FREE sign-up has no trial', async () => {
      const tenant = await provisionTenant('notrial', 'FREE');
      expect(await tenantPlan(tenant)).to.include({ plan: 'FREE', trialEndsAt: null });
    });
  });

  describe('trial expiry (the end-trial job)', () => {
    it('moves an expired trial without a paid subscription to FREE, keeps the data, notifies the owner and audits it', async () => {
      const tenant = await provisionTenant('expire', 'PRO');
      for (let i = 0; i < 6; i++) await createProject(tenant.token);
      ok(await execute(AuditLogDocument, { first: 1 }, { token: tenant.token }));

      await expireTrial(tenant);
      const after = await waitUntil(
        () => tenantPlan(tenant),
        (current) => current.plan === 'FREE',
      );
      expect(after.trialEndsAt).to.equal(null);

      expect(await projectCount(tenant), 'six projects kept although FREE allows five').to.equal(6);
      // The gateway's cached tenant was invalidated: the PRO gate now refuses.
      expectError(await execute(AuditLogDocument, { first: 1 }, { token: tenant.token }), 'PLAN_UPGRADE_REQUIRED');
      const expired = (await auditActions(tenant.id)).filter((event) => event.action === 'plan.trial_expired');
      expect(expired).to.have.length(1);
      expect(itemAt(expired, 0).data).to.deep.equal({ from: 'PRO', to: 'FREE' });
      const notifications = await waitUntil(
        async () => ok(await execute(NotificationsDocument, { first: 10 }, { token: tenant.token })).notifications!.edges,
        (edges) => edges.some((edge) => edge.node.kind === 'plan.trial_expired'),
      );
      expect(notifications.find((edge) => edge.node.kind === 'plan.trial_expired')!.node.title).to.equal('Your PRO trial has ended');
    });

    it('keeps the plan of a tenant with a paid subscription (trial converted)', async () => {
      const tenant = await provisionTenant('paid', 'ENTERPRISE');
      await adminQuery(`update tenants set billing = '{"subscriptionId":"sub_test"}' where id = $1`, [tenant.id]);
      await expireTrial(tenant);
      await waitUntil(
        () => auditActions(tenant.id),
        (events) => events.some((event) => event.action === 'plan.trial_converted'),
      );
      expect(await tenantPlan(tenant)).to.include({ plan: 'ENTERPRISE', trialEndsAt: null });
    });

    it('does nothing when the trial is not due (the job is idempotent and safe to run early)', async () => {
      const tenant = await provisionTenant('early', 'PRO');
      await adminQuery(`select graphile_worker.add_job($1, $2::json, job_key => $3)`, [
        END_TRIAL_TASK,
        JSON.stringify({ tenantId: tenant.id }),
        `trial:${tenant.id}`,
      ]);
      await waitUntil(
        () => adminQuery(`select 1 from graphile_worker._private_jobs where key = $1`, [`trial:${tenant.id}`]),
        (rows) => rows.length === 0,
      );
      expect((await tenantPlan(tenant)).plan).to.equal('PRO');
      expect((await auditActions(tenant.id)).map((event) => event.action)).not.to.include('plan.trial_expired');
    });
  });

  describe('changePlan', () => {
    let tenant: TestTenant;

    before(async () => {
      tenant = await provisionTenant('change', 'FREE');
    });

    for (const role of [Role.MANAGER, Role.MEMBER, Role.VIEWER]) {
      it(`is refused to a ${role} (FORBIDDEN, nothing changed)`, async () => {
        const member = await addMember(tenant, role);
        expectError(await execute(ChangePlanDocument, { plan: 'ENTERPRISE' }, { token: member.token }), 'FORBIDDEN');
        expect((await tenantPlan(tenant)).plan).to.equal('FREE');
      });
    }

    it('is refused without a token', async () => {
      expectError(await execute(ChangePlanDocument, { plan: 'PRO' }, { headers: { 'x-tenant-id': tenant.id } }), 'UNAUTHENTICATED');
    });

    it('lets the owner upgrade: the plan changes at once (no billing configured) and is audited with the actor', async () => {
      const changed = ok(await execute(ChangePlanDocument, { plan: 'PRO' }, { token: tenant.token })).changePlan;
      expect(changed).to.include({ id: tenant.id, plan: 'PRO', trialEndsAt: null });
      // The very next request sees the new plan (the cached tenant was invalidated after commit).
      const log = ok(await execute(AuditLogDocument, { first: 5 }, { token: tenant.token })).auditLog!;
      const event = log.edges.map((edge) => edge.node).find((node) => node.action === 'plan.changed')!;
      expect(event.actorUserId).to.equal(tenant.ownerId);
      expect(event.data).to.deep.include({ from: 'FREE', to: 'PRO' });
    });

    it('a downgrade keeps every row, even over the lower plan limits', async () => {
      for (let i = 0; i < 6; i++) await createProject(tenant.token);
      expect(ok(await execute(ChangePlanDocument, { plan: 'FREE' }, { token: tenant.token })).changePlan!.plan).to.equal('FREE');
      expect(await projectCount(tenant)).to.equal(6);
      expectError(await execute(AuditLogDocument, { first: 1 }, { token: tenant.token }), 'PLAN_UPGRADE_REQUIRED');
      const changes = (await auditActions(tenant.id)).filter((event) => event.action === 'plan.changed');
      expect(changes.map((event) => `${event.data.from}->${event.data.to}`)).to.deep.equal(['FREE->PRO', 'PRO->FREE']);
    });

    it('ends a running trial when the owner picks a plan outright', async () => {
      const trialing = await provisionTenant('pick', 'PRO');
      expect((await tenantPlan(trialing)).trialEndsAt).not.to.equal(null);
      const changed = ok(await execute(ChangePlanDocument, { plan: 'ENTERPRISE' }, { token: trialing.token })).changePlan;
      expect(changed).to.include({ plan: 'ENTERPRISE', trialEndsAt: null });
    });
  });
});
