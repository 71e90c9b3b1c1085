import type { RequestContext } from '../../engine/context.js';
import { publishTenantChange } from '../../engine/tenancy/tenant-changes.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import type { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import { recordAudit } from '../audit/audit.service.js';
import { planBilling } from './plan-billing.js';

/**
 * Owner: moves the tenant to `plan` through the plan billing seam, audited in the same
 * transaction. A downgrade keeps every row; only new creations beyond the lower plan's limits
 * are refused (by the quota checks). Other processes forget their cached tenant after commit.
 */
export async function changePlan(ctx: RequestContext, plan: PlanCode): Promise<Tenant> {
  const tenant = await ctx.em.findOneOrFail(Tenant, { id: ctx.tenant!.id });
  const from = { plan: tenant.plan, trialEndsAt: tenant.trialEndsAt ?? null };
  await ctx.services.get(planBilling).changePlan(ctx.em, tenant, plan);
  recordAudit(ctx, 'plan.changed', tenant.id, {
    from: from.plan,
    to: plan,
    trialEndedEarly: Boolean(from.trialEndsAt && !tenant.trialEndsAt),
  });
  await ctx.em.flush();
  ctx.services.afterCommit.schedule(ctx.em, () => publishTenantChange(ctx.services, tenant));
  return tenant;
}
