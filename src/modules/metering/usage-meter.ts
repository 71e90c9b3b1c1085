import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueJob, type TenantJobPayload } from '../../engine/jobs/job-queue.js';
import { defineService } from '../../engine/module.js';
import type { AppServices } from '../../engine/services.js';
import { UsageMetric } from './usage-metric.js';

export const RECORD_USAGE_TASK = 'record-usage';

/** How long counted calls wait in memory: a process killed without warning loses at most this much. */
export const FLUSH_INTERVAL_MS = 1_000;

interface JobSpec {
  identifier: string;
  payload: RecordUsageJob;
  max_attempts: number;
}

export interface RecordUsageJob extends TenantJobPayload {
  tenantId: string;
  metric: UsageMetric;
  quantity: number;
  idempotencyKey: string;
  occurredAt: string;
}

/**
 * Counts API calls in memory (a request pays a Map update) and, once a second, hands the counts to
 * the job queue in one statement: one `record-usage` job per tenant, whose idempotency key (this
 * process, the flush number, the tenant) makes a retried job record its batch once.
 */
export class UsageMeter {
  private pending = new Map<string, number>();
  /** Jobs of a flush that failed, sent again unchanged (same keys) with the next one. */
  private unsent: JobSpec[] = [];
  private readonly processKey = randomUUID();
  private flushes = 0;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly services: AppServices) {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  count(tenantId: string): void {
    this.pending.set(tenantId, (this.pending.get(tenantId) ?? 0) + 1);
  }

  /** Enqueues the counts so far; concurrent calls run one after the other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.enqueuePending());
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async enqueuePending(): Promise<void> {
    if (this.pending.size === 0 && this.unsent.length === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushes += 1;
    const occurredAt = new Date().toISOString();
    const fresh = [...batch].map(([tenantId, quantity]): JobSpec => ({
      identifier: RECORD_USAGE_TASK,
      payload: {
        tenantId,
        metric: UsageMetric.API_CALLS,
        quantity,
        idempotencyKey: `api:${this.processKey}:${this.flushes}:${tenantId}`,
        occurredAt,
      },
      max_attempts: 10,
    }));
    const specs = [...this.unsent, ...fresh];
    try {
      await this.services.orm.em.fork().execute(
        `select graphile_worker.add_jobs(array(
           select json_populate_record(null::graphile_worker.job_spec, spec) from json_array_elements(?::json) spec))`,
        [JSON.stringify(specs)],
      );
      this.unsent = [];
    } catch (error) {
      // Kept for the next flush: counts are lost only when the process dies.
      this.unsent = specs;
      this.services.log.warn({ err: error, jobs: specs.length }, 'usage flush failed; retrying with the next one');
    }
  }
}

export const usageMeter = defineService(
  'usageMeter',
  (services) => new UsageMeter(services),
  (meter) => meter.close(),
);

/**
 * Records one billable event (a project, a seat) with its idempotency key, in `em`'s transaction:
 * the job exists exactly when the change it counts was committed, and a key seen before is ignored.
 */
export function recordUsageEvent(em: EntityManager, tenantId: string, metric: UsageMetric, idempotencyKey: string): Promise<void> {
  const job: RecordUsageJob = { tenantId, metric, quantity: 1, idempotencyKey, occurredAt: new Date().toISOString() };
  return enqueueJob(em, RECORD_USAGE_TASK, job, { maxAttempts: 10 });
}
