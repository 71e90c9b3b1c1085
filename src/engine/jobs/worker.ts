import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  Logger as GraphileLogger,
  makeWorkerUtils,
  run,
  type JobHelpers,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import pg from 'pg';
import { isUuid } from '../graphql/uuid.js';
import { requestLogStore } from '../observability/logger.js';
import type { AppServices } from '../services.js';
import { WorkerHeartbeat } from './heartbeat.js';
import type { TenantJobPayload } from './job-queue.js';

/** A job handler; its payload always carries a tenant id (checked before it runs). */
export type TenantTask = (payload: TenantJobPayload, helpers: JobHelpers) => Promise<void>;

export interface WorkerOptions {
  /** The app role: jobs touch tenant data under RLS like requests do. */
  databaseUrl: string;
  concurrency?: number;
  /** How long a silent worker keeps its jobs before another worker takes them over. */
  staleAfterMs?: number;
  pollIntervalMs?: number;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/** Refuses a payload without a tenant before any handler sees it. */
function tenantChecked(name: string, task: TenantTask): TaskList[string] {
  return async (payload, helpers) => {
    const tenantId = (payload as Partial<TenantJobPayload> | null)?.tenantId;
    if (!isUuid(tenantId)) throw new Error(`Job ${name} has no tenant id; refusing to run it`);
    // Logs of the job carry its tenant and its own SQL count, like a request's.
    const fields = { request_id: `job:${helpers.job.id}`, tenant_id: tenantId, operation: name };
    await requestLogStore.run(fields, () => task(payload as TenantJobPayload, helpers));
  };
}

/** Starts graphile-worker with our tasks, heartbeats and metrics; `stop()` drains running jobs. */
export async function startWorker(services: AppServices, options: WorkerOptions): Promise<RunningWorker> {
  const { log, metrics } = services;
  const pgPool = new pg.Pool({ connectionString: options.databaseUrl, max: (options.concurrency ?? 4) + 2 });
  const onError = (error: Error) => log.warn({ err: error }, 'job queue connection error');
  pgPool.on('error', onError);
  pgPool.on('connect', (client) => client.on('error', onError));
  const utils = await makeWorkerUtils({ pgPool });
  const heartbeat = new WorkerHeartbeat(pgPool, utils, `${hostname()}:${process.pid}`, options.staleAfterMs ?? 30_000, log);
  const tasks = Object.assign({}, ...services.modules.map((module) => module.tasks?.(services) ?? {})) as Record<string, TenantTask>;
  const taskList: TaskList = Object.fromEntries(Object.entries(tasks).map(([name, task]) => [name, tenantChecked(name, task)]));
  const logger = new GraphileLogger((scope) => (level, message, meta) => {
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    log[method]({ ...scope, ...meta }, message);
  });
  // Listeners go on before run(): the pool creates its workers while starting.
  const events = new EventEmitter() as WorkerEvents;
  events.on('worker:create', ({ worker }) => heartbeat.track(worker.workerId));
  events.on('job:success', ({ job }) => metrics.jobs.inc({ task: job.task_identifier, outcome: 'success' }));
  events.on('job:error', ({ job }) => metrics.jobs.inc({ task: job.task_identifier, outcome: 'error' }));
  events.on('job:failed', ({ job }) => metrics.jobs.inc({ task: job.task_identifier, outcome: 'failed' }));
  let runner: Runner;
  try {
    runner = await run({
      pgPool,
      taskList,
      logger,
      events,
      concurrency: options.concurrency ?? 4,
      pollInterval: options.pollIntervalMs ?? 2_000,
      noHandleSignals: true,
    });
  } catch (error) {
    await utils.release();
    await pgPool.end();
    throw error;
  }
  heartbeat.start();
  // Rows no gateway relayed (it stopped between a commit and its relay), as graphile-worker polls its queue.
  const stopOutboxPoll = services.jobOutbox.pollEvery(options.pollIntervalMs ?? 2_000);
  log.info({ concurrency: options.concurrency ?? 4 }, 'job worker started');
  return {
    async stop() {
      await stopOutboxPoll();
      await runner.stop();
      await heartbeat.stop();
      await utils.release();
      await pgPool.end();
    },
  };
}
