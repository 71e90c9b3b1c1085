import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { NEWEST_FIRST } from '../src/engine/graphql/connection.js';
import { tesseraOrmConfig } from '../mikro-orm.config.js';
import { TENANT_FILTER } from '../src/engine/tenancy/tenant-filter.js';
import { Task } from '../src/modules/tasks/task.entity.js';
import { pick, type LoadTenant } from './fixtures.js';
import { percentile, round } from './load.js';

export type RlsVariant = 'bare' | 'transaction' | 'rls-transaction';

export interface RlsVariantResult {
  variant: RlsVariant;
  description: string;
  /** Reads in flight at once: 1 shows the latency a request pays, N the throughput under load. */
  concurrency: number;
  /** Median of the rounds. */
  opsPerSecond: number;
  perRound: number[];
  p50Ms: number;
  p99Ms: number;
}

export interface RlsOptions {
  appUrl: string;
  superuserUrl: string;
  tenants: LoadTenant[];
  concurrency: number;
  seconds: number;
  rounds: number;
}

/** Untimed, per variant, so that JIT warm-up and cold caches do not land in the first round. */
const WARMUP_SECONDS = 2;

const DESCRIPTIONS: Record<RlsVariant, string> = {
  bare: 'superuser (RLS bypassed), no transaction: the query alone',
  transaction: 'superuser, BEGIN + set_config + query + COMMIT: the transaction without the policies',
  'rls-transaction': 'app role, BEGIN + set_config + query + COMMIT: what every request does',
};

/**
 * The per-request RLS transaction in isolation. The same ORM read (a project's 20 newest tasks,
 * through the tenant filter, like Q1's main query) is run three ways in one process and one run,
 * interleaved in rounds so that machine noise hits all three alike: `transaction` minus `bare` is
 * the cost of the round trips, `rls-transaction` minus `transaction` the cost of the policies.
 * Once one at a time (the latency a request pays) and once with `concurrency` in flight (throughput).
 */
export async function measureRlsOverhead(options: RlsOptions): Promise<RlsVariantResult[]> {
  const app = await MikroORM.init(tesseraOrmConfig({ clientUrl: options.appUrl, poolMax: 10 }));
  const superuser = await MikroORM.init(tesseraOrmConfig({ clientUrl: options.superuserUrl, poolMax: 10 }));
  try {
    const runners: Record<RlsVariant, () => Promise<number>> = {
      bare: () => readPage(superuser.em, pick(options.tenants), false),
      transaction: () => readPage(superuser.em, pick(options.tenants), true),
      'rls-transaction': () => readPage(app.em, pick(options.tenants), true),
    };
    for (const [variant, run] of Object.entries(runners)) {
      const rows = await run();
      if (rows !== 21) throw new Error(`${variant} read ${rows} rows instead of 21: the comparison would be meaningless`);
    }
    const variants = Object.keys(runners) as RlsVariant[];
    for (const variant of variants) await closedLoop(runners[variant], options.concurrency, WARMUP_SECONDS);
    const results: RlsVariantResult[] = [];
    for (const concurrency of [1, options.concurrency]) {
      const rounds = new Map<RlsVariant, { ops: number; latencies: number[] }[]>(variants.map((v) => [v, []]));
      for (let round = 0; round < options.rounds; round++) {
        const order = [...variants.slice(round % variants.length), ...variants.slice(0, round % variants.length)];
        for (const variant of order) rounds.get(variant)!.push(await closedLoop(runners[variant], concurrency, options.seconds));
      }
      results.push(...variants.map((variant) => summarise(variant, concurrency, rounds.get(variant)!)));
    }
    return results;
  } finally {
    await app.close(true);
    await superuser.close(true);
  }
}

async function readPage(root: EntityManager, tenant: LoadTenant, inTransaction: boolean): Promise<number> {
  const em = root.fork();
  em.setFilterParams(TENANT_FILTER, { tenantId: tenant.id });
  const read = () => em.find(Task, { projectId: pick(tenant.projectIds) }, { orderBy: NEWEST_FIRST, limit: 21 });
  if (!inTransaction) return (await read()).length;
  await em.begin({ sessionContext: { variables: { 'app.tenant_id': tenant.id, 'app.user_id': '' } } });
  try {
    const rows = await read();
    await em.commit();
    return rows.length;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}

/** `concurrency` workers calling `operation` back to back for `seconds`. */
async function closedLoop(operation: () => Promise<unknown>, concurrency: number, seconds: number) {
  const latencies: number[] = [];
  const startedAt = performance.now();
  const until = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await operation();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { ops: latencies.length / ((performance.now() - startedAt) / 1000), latencies };
}

function summarise(variant: RlsVariant, concurrency: number, rounds: { ops: number; latencies: number[] }[]): RlsVariantResult {
  const perRound = rounds.map((r) => round(r.ops, 0));
  const all = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    variant,
    description: DESCRIPTIONS[variant],
    concurrency,
    opsPerSecond: [...perRound].sort((a, b) => a - b)[Math.floor(perRound.length / 2)] ?? Number.NaN,
    perRound,
    p50Ms: round(percentile(all, 50)),
    p99Ms: round(percentile(all, 99)),
  };
}
