import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership } from '../../engine/identity/membership.entity.js';
import { Role } from '../../engine/identity/roles.js';
import { enqueueJob } from '../../engine/jobs/job-queue.js';
import type { TenantTask } from '../../engine/jobs/worker.js';
import type { AppServices } from '../../engine/services.js';
import { publishTenantChange } from '../../engine/tenancy/tenant-changes.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import { recordAuditIn } from '../audit/audit.service.js';
import { enqueueNotification } from '../notifications/notification.jobs.js';
import { planBilling } from './plan-billing.js';

export const TRIAL_DAYS = 14;
export const END_TRIAL_TASK = 'end-trial';

/**
 * A sign-up for a paid plan tries it for TRIAL_DAYS: sets `trialEndsAt` and schedules the job
 * that ends the trial, in the sign-up's transaction (`em`, in the tenant). FREE has no trial.
 */
export async function startTrial(em: EntityManager, tenant: Tenant, now = new Date()): Promise<void> {
  if (tenant.plan === PlanCode.FREE) return;
  tenant.trialEndsAt = new Date(now.getTime() + TRIAL_DAYS * 24 * 60 * 60 * 1000);
  await enqueueJob(em, END_TRIAL_TASK, { tenantId: tenant.id }, { jobKey: `trial:${tenant.id}`, runAt: tenant.trialEndsAt });
}

/**
 * Ends a trial that is due: a tenant with a paid subscription keeps its plan, any other falls back
 * to FREE with all its data, its owners are notified and the change is audited, in one transaction.
 * A trial that was converted, changed or extended meanwhile is left alone (the job is idempotent).
 */
export function trialTasks(services: AppServices): Record<string, TenantTask> {
  return {
    async [END_TRIAL_TASK]({ tenantId }) {
      const ended = await inTenantTransaction(services.orm.em, tenantId, async (em) => {
        const tenant = await em.findOne(Tenant, { id: tenantId, deletedAt: null });
        if (!tenant?.trialEndsAt || tenant.trialEndsAt.getTime() > Date.now()) return null;
        const from = tenant.plan;
        tenant.trialEndsAt = null;
        if (await services.get(planBilling).hasPaidSubscription(tenant)) {
          recordAuditIn(em, { action: 'plan.trial_converted', targetId: tenant.id, data: { plan: from } });
          await em.flush();
          return tenant;
        }
        tenant.plan = PlanCode.FREE;
        recordAuditIn(em, { action: 'plan.trial_expired', targetId: tenant.id, data: { from, to: PlanCode.FREE } });
        for (const owner of await em.find(Membership, { role: Role.OWNER })) {
          await enqueueNotification(em, {
            tenantId,
            userId: owner.user.id,
            kind: 'plan.trial_expired',
            title: `Your ${from} trial has ended`,
            body: `${tenant.name} is now on the FREE plan. All your data is kept; upgrade to use ${from} features again.`,
            data: { from, to: PlanCode.FREE },
          });
        }
        await em.flush();
        return tenant;
      });
      if (ended) publishTenantChange(services, ended);
    },
  };
}
