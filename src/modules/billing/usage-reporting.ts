import type { AppServices } from '../../engine/services.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { RollupGranularity, UsageRollup } from '../metering/usage-rollup.entity.js';
import { UsageMetric } from '../metering/usage-metric.js';
import { billingClient } from './billing-client.js';
import { billingStateOf } from './billing-state.js';

/**
 * Reports the tenant's closed hours of API calls to Stripe's meter, one meter event per hour with
 * the identifier `<tenant>:<hour>`: Stripe ignores a second event with an identifier it has, so a
 * job retried after a crash (before `reportedAt` was saved) never bills an hour twice.
 */
export async function reportTenantUsage(services: AppServices, tenantId: string): Promise<number> {
  const client = services.get(billingClient);
  if (!client) return 0;
  const currentHour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const { customerId, hours } = await inTenantTransaction(services.orm.em, tenantId, async (em) => {
    const tenant = await em.findOne(Tenant, { id: tenantId });
    const rows = await em.find(
      UsageRollup,
      { metric: UsageMetric.API_CALLS, granularity: RollupGranularity.HOUR, bucketStart: { $lt: currentHour }, reportedAt: null },
      { orderBy: { bucketStart: 'asc' } },
    );
    return { customerId: tenant ? billingStateOf(tenant).stripeCustomerId : undefined, hours: rows };
  });
  if (!customerId) return 0;
  for (const hour of hours) {
    await client.reportUsage({
      customerId,
      value: hour.quantity,
      identifier: `${tenantId}:${hour.bucketStart.toISOString()}`,
      at: hour.bucketStart,
    });
    await inTenantTransaction(services.orm.em, tenantId, async (em) => {
      await em.nativeUpdate(UsageRollup, { id: hour.id }, { reportedAt: new Date() });
    });
  }
  return hours.length;
}
