import type { Pool } from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import type { Logger } from '../observability/logger.js';

/**
 * graphile-worker leaves a crashed worker's jobs locked for hours. Each worker process records a
 * heartbeat for its workers; any worker process unlocks the jobs of workers that stopped beating
 * (or never beat) for `staleAfterMs`, so another worker resumes them within seconds.
 */
export class WorkerHeartbeat {
  private readonly workerIds = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly utils: WorkerUtils,
    private readonly processName: string,
    private readonly staleAfterMs: number,
    private readonly log: Logger,
  ) {}

  track(workerId: string): void {
    this.workerIds.add(workerId);
  }

  start(): void {
    const tick = () => void this.beatAndSweep().catch((error: unknown) => this.log.warn({ err: error }, 'worker heartbeat failed'));
    tick();
    this.timer = setInterval(tick, Math.max(250, Math.floor(this.staleAfterMs / 3)));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.workerIds.size > 0) {
      await this.pool.query('delete from worker_heartbeats where worker_id = any($1)', [[...this.workerIds]]);
    }
  }

  private async beatAndSweep(): Promise<void> {
    if (this.workerIds.size > 0) {
      await this.pool.query(
        `insert into worker_heartbeats (worker_id, process, last_seen_at)
         select id, $2, now() from unnest($1::text[]) as id
         on conflict (worker_id) do update set last_seen_at = now()`,
        [[...this.workerIds], this.processName],
      );
    }
    const stale = `${this.staleAfterMs} milliseconds`;
    const { rows } = await this.pool.query<{ locked_by: string }>(
      `select distinct j.locked_by from graphile_worker._private_jobs j
       where j.locked_by is not null and j.locked_at < now() - $1::interval
         and not exists (select 1 from worker_heartbeats h
                         where h.worker_id = j.locked_by and h.last_seen_at > now() - $1::interval)`,
      [stale],
    );
    if (rows.length === 0) return;
    const dead = rows.map((row) => row.locked_by);
    this.log.warn({ workers: dead }, 'unlocking the jobs of workers that stopped');
    await this.utils.forceUnlockWorkers(dead);
    await this.pool.query('delete from worker_heartbeats where worker_id = any($1)', [dead]);
  }
}
