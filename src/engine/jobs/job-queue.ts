import type { EntityManager } from '@mikro-orm/postgresql';

/** Every job payload names its tenant: the worker scopes its work to it like a request. */
export interface TenantJobPayload {
  tenantId: string;
  [key: string]: unknown;
}

export interface EnqueueOptions {
  /** Deduplicates: a second job with the same key replaces the pending one. */
  jobKey?: string;
  maxAttempts?: number;
  runAt?: Date;
  /** With `jobKey`: a pending job keeps its run time (a stream of replacements cannot postpone it forever). */
  keepRunAt?: boolean;
}

/**
 * Adds a graphile-worker job through `em`'s current transaction, so the job exists exactly when
 * the rows it is about were committed (a crash can never leave one without the other).
 */
export async function enqueueJob(em: EntityManager, task: string, payload: TenantJobPayload, options: EnqueueOptions = {}): Promise<void> {
  await em.execute(`select graphile_worker.add_job(?, ?::json, job_key => ?, max_attempts => ?, run_at => ?, job_key_mode => ?)`, [
    task,
    JSON.stringify(payload),
    options.jobKey ?? null,
    options.maxAttempts ?? 25,
    options.runAt ?? new Date(),
    options.keepRunAt ? 'preserve_run_at' : 'replace',
  ]);
}
