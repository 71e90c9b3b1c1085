import type { TenantTask } from '../../engine/jobs/worker.js';
import type { AppServices } from '../../engine/services.js';
import { publishTenantChange } from '../../engine/tenancy/tenant-changes.js';
import { TenantStatus } from '../../engine/tenancy/tenant.enums.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { recordAuditIn } from '../audit/audit.service.js';
import { billingStateOf, PAYMENT_OVERDUE } from './billing-state.js';
import { reportTenantUsage } from './usage-reporting.js';

export const ENFORCE_GRACE_PERIOD_TASK = 'enforce-billing-grace-period';
export const REPORT_USAGE_TASK = 'report-usage';

/**
 * The end of a grace period: a tenant whose payment is still overdue after it is suspended
 * (read-only, data kept); a payment restores it (`markPaid`). A payment that arrived meanwhile
 * cleared `pastDueSince`, and the job then does nothing.
 */
export function billingTasks(services: AppServices): Record<string, TenantTask> {
  return {
    async [ENFORCE_GRACE_PERIOD_TASK]({ tenantId }) {
      const suspended = await inTenantTransaction(services.orm.em, tenantId, async (em) => {
        const tenant = await em.findOne(Tenant, { id: tenantId });
        const since = tenant && billingStateOf(tenant).pastDueSince;
        if (!tenant || !since || tenant.status !== TenantStatus.ACTIVE) return null;
        if (Date.now() - new Date(since).getTime() < services.config.billing.gracePeriodMs) return null;
        tenant.status = TenantStatus.SUSPENDED;
        tenant.statusReason = PAYMENT_OVERDUE;
        recordAuditIn(em, { action: 'tenant.suspended_for_payment', targetId: tenantId, data: { pastDueSince: since } });
        await em.flush();
        return tenant;
      });
      if (suspended) publishTenantChange(services, suspended);
    },

    async [REPORT_USAGE_TASK]({ tenantId }) {
      await reportTenantUsage(services, tenantId);
    },
  };
}
