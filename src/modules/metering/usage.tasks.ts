import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { enqueueJob } from '../../engine/jobs/job-queue.js';
import type { TenantTask } from '../../engine/jobs/worker.js';
import type { AppServices } from '../../engine/services.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { REPORT_USAGE_TASK } from '../billing/billing.tasks.js';
import { RECORD_USAGE_TASK, type RecordUsageJob } from './usage-meter.js';
import { UsageRecord } from './usage-record.entity.js';

export const ROLL_UP_USAGE_TASK = 'roll-up-usage';

/** A closed hour is reported this long after its end, when its last flushes are rolled up. */
const REPORT_DELAY_MS = 2 * 60_000;

/** Rollups wait this long after a record, so one run covers many flushes. */
const ROLLUP_DELAY_MS = 60_000;

/**
 * The hourly and daily sums of the tenant's records of yesterday and today, recomputed from the
 * records (`on conflict ... do update set quantity = excluded.quantity`): a run repeated, or two
 * at once, write the same sums and never add twice.
 */
const ROLL_UP_SQL = `
insert into usage_rollups (id, tenant_id, metric, granularity, bucket_start, quantity)
select gen_random_uuid(), tenant_id, metric, granularity, bucket_start, sum(quantity)
from (
  select tenant_id, metric, 'HOUR' as granularity, date_trunc('hour', occurred_at, 'UTC') as bucket_start, quantity
  from usage_records where tenant_id = ? and occurred_at >= date_trunc('day', now(), 'UTC') - interval '1 day'
  union all
  select tenant_id, metric, 'DAY', date_trunc('day', occurred_at, 'UTC'), quantity
  from usage_records where tenant_id = ? and occurred_at >= date_trunc('day', now(), 'UTC') - interval '1 day'
) buckets
group by tenant_id, metric, granularity, bucket_start
on conflict (tenant_id, metric, granularity, bucket_start) do update set quantity = excluded.quantity`;

export function usageTasks(services: AppServices): Record<string, TenantTask> {
  return {
    async [RECORD_USAGE_TASK](payload) {
      const job = payload as RecordUsageJob;
      await inTenantTransaction(services.orm.em, job.tenantId, async (em) => {
        // FOR SHARE waits for a deletion or purge in progress; a deleted tenant records nothing more.
        const tenant = await em.findOne(Tenant, { id: job.tenantId }, { lockMode: LockMode.PESSIMISTIC_READ });
        if (!tenant || tenant.deletedAt) return;
        await em
          .createQueryBuilder(UsageRecord)
          .insert({
            id: randomUUID(),
            tenantId: job.tenantId,
            metric: job.metric,
            quantity: job.quantity,
            idempotencyKey: job.idempotencyKey,
            occurredAt: new Date(job.occurredAt),
          })
          .onConflict(['tenantId', 'idempotencyKey'])
          .ignore()
          .execute();
        await enqueueJob(
          em,
          ROLL_UP_USAGE_TASK,
          { tenantId: job.tenantId },
          {
            jobKey: `usage-rollup:${job.tenantId}`,
            keepRunAt: true,
            runAt: new Date(Date.now() + ROLLUP_DELAY_MS),
          },
        );
      });
    },

    async [ROLL_UP_USAGE_TASK]({ tenantId }) {
      await inTenantTransaction(services.orm.em, tenantId, async (em) => {
        await em.execute(ROLL_UP_SQL, [tenantId, tenantId]);
        // The hour being rolled up is reported to billing once it is over.
        const nextHour = Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000;
        await enqueueJob(
          em,
          REPORT_USAGE_TASK,
          { tenantId },
          {
            jobKey: `usage-report:${tenantId}`,
            keepRunAt: true,
            runAt: new Date(nextHour + REPORT_DELAY_MS),
          },
        );
      });
    },
  };
}
