import type { EntityManager } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import { holdWrite } from '../db/deferred-begin.js';
import { writeOutboxJob } from './job-outbox.js';

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
 * the rows it is about were committed (a crash can never leave one without the other). Inside a
 * transaction it costs no round trip of its own: it leaves with the transaction's next statement
 * or its COMMIT (`holdWrite`), whose failure it then is. A job without a key goes through the
 * outbox (`writeOutboxJob`) and reaches the queue a few milliseconds after the commit; a keyed
 * one is added to the queue directly, as its key must meet the pending job it replaces.
 */
export async function enqueueJob(em: EntityManager, task: string, payload: TenantJobPayload, options: EnqueueOptions = {}): Promise<void> {
  const trx = em.getTransactionContext<Kysely<unknown>>();
  const maxAttempts = options.maxAttempts ?? 25;
  if (trx && options.jobKey === undefined) {
    await writeOutboxJob(em, { task, payload: JSON.stringify(payload), maxAttempts, runAt: options.runAt ?? null });
    return;
  }
  const sql = `select graphile_worker.add_job(?, ?::json, job_key => ?, max_attempts => ?, run_at => ?, job_key_mode => ?)`;
  const params = [
    task,
    JSON.stringify(payload),
    options.jobKey ?? null,
    maxAttempts,
    options.runAt ?? new Date(),
    options.keepRunAt ? 'preserve_run_at' : 'replace',
  ];
  if (!trx) {
    await em.execute(sql, params);
    return;
  }
  await holdWrite(em, sql, params);
}
