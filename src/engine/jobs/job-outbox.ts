import type { EntityManager, EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { holdWrite } from '../db/deferred-begin.js';
import type { Logger } from '../observability/logger.js';
import { outsideRequest } from '../observability/tracing.js';

/** Rows moved by one relay statement (one `add_jobs` call). */
const RELAY_BATCH = 500;
/**
 * How long a committed row waits for the rows of other transactions to share its relay. A relay
 * costs PostgreSQL about 1.5 ms whatever it moves, plus 0.035 ms per row: under load, a longer
 * wait spreads that over more requests (at 650 mutations/s, about 0.1 ms each at 20 ms, 0.02 at 100 ms),
 * and a job a tenth of a second late is still immediate to the person it notifies.
 */
const RELAY_DELAY_MS = 100;

/** The EntityManagers whose current transaction wrote an outbox row: their commit starts a relay. */
const wroteOutbox = new WeakSet<EntityManager>();

export interface OutboxJob {
  task: string;
  payload: string;
  maxAttempts: number;
  runAt: Date | null;
}

/**
 * Writes `job` to the outbox in `em`'s transaction, held to leave with the transaction's
 * next statement or its COMMIT. A plain insert into a table of its own costs PostgreSQL a fraction
 * of graphile-worker's `add_job` (a PL/pgSQL function that upserts the task and the queue, updates
 * keyed jobs, notifies workers and inserts into a table with four indexes); the relay then moves
 * the committed rows of many transactions into the queue in one `add_jobs` call.
 */
export async function writeOutboxJob(em: EntityManager, job: OutboxJob): Promise<void> {
  const sql = 'insert into job_outbox (task, payload, max_attempts, run_at) values (?, ?::json, ?, ?)';
  await holdWrite(em, sql, [job.task, job.payload, job.maxAttempts, job.runAt]);
  wroteOutbox.add(em);
}

/**
 * Moves committed outbox rows into graphile-worker's queue, soon after a transaction of this
 * process that wrote one commits, in one statement for every row committed meanwhile. Each row
 * moves once (the relay deletes it in the transaction that enqueues it, skipping rows another
 * process is relaying); a row no process relayed (its writer stopped first) is moved by a
 * worker's poll (`relay`).
 */
export class JobOutboxRelay implements EventSubscriber {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private again = false;
  private closed = false;

  private constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
  ) {}

  /** A relay started by every committed transaction of `orm` that wrote to the outbox. */
  static attachTo(orm: MikroORM, log: Logger): JobOutboxRelay {
    const relay = new JobOutboxRelay(orm, log);
    orm.em.getEventManager().registerSubscriber(relay);
    return relay;
  }

  afterTransactionCommit({ em }: TransactionEventArgs): void {
    if (em && wroteOutbox.delete(em)) this.soon();
  }

  afterTransactionRollback({ em }: TransactionEventArgs): void {
    if (em) wroteOutbox.delete(em);
  }

  /** Moves every committed row into the queue now; resolves with how many moved. */
  async relay(): Promise<number> {
    let moved = 0;
    for (;;) {
      const rows = await this.orm.em.fork().execute<{ relayed: number }[]>('select tessera_relay_job_outbox(?) as relayed', [RELAY_BATCH]);
      const relayed = rows[0]?.relayed ?? 0;
      moved += relayed;
      if (relayed < RELAY_BATCH) return moved;
    }
  }

  /**
   * Relays now and every `intervalMs` as well (a worker's poll: rows whose writer stopped before
   * relaying them); the returned function stops polling once no relay runs.
   */
  pollEvery(intervalMs: number): () => Promise<void> {
    const poll = () => (this.running ? (this.again = true) : this.start());
    poll();
    const timer = setInterval(poll, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await this.running;
    };
  }

  /** Waits for a relay under way; what is still in the outbox stays for a worker's poll. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private soon(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    // The relay is no request's work: not in its SQL count, its log fields or its trace.
    this.timer = outsideRequest(() => setTimeout(() => this.start(), RELAY_DELAY_MS));
    this.timer.unref();
  }

  private start(): void {
    // A relay started by a poll takes along the rows a pending commit relay would have moved.
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.relay()
      .catch((error: unknown) => this.log.warn({ err: error }, 'job outbox relay failed: a worker moves the rows on its next poll'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.soon();
        }
      });
  }
}
