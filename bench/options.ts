import { join } from 'node:path';
import { z } from 'zod';
import type { OperationKey } from './operations.js';

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Where a benchmark's data lives: the settings every benchmark script reads, `database` its default database name. */
export function benchStoreEnv(database: string) {
  return z.object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// superuser URL')
      .optional(),
    BENCH_DATABASE: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default(database),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//)
      .default('redis://127.0.0.1:6379'),
    TESSERA_DATA_DIR: z.string().min(1).default('.tessera'),
  });
}

const envSchema = benchStoreEnv('tessera_bench').extend({
  BENCH_TENANTS: z.coerce.number().int().min(2).default(1000),
  BENCH_LOAD_TENANTS: z.coerce.number().int().min(2).default(100),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).default(16),
  BENCH_WARMUP: count(5),
  BENCH_DURATION: z.coerce.number().int().min(1).default(15),
  BENCH_QUERIES: z
    .string()
    .regex(/^(q[123])(,q[123])*$/, 'a list like q1,q2,q3')
    .default('q1,q2,q3'),
  BENCH_RLS_SECONDS: count(5),
  BENCH_RLS_ROUNDS: z.coerce.number().int().min(1).default(3),
  BENCH_OUT: z.string().optional(),
  BENCH_CPU_PROF: z.enum(['0', '1']).default('0'),
});

export interface BenchOptions {
  /** Superuser URL; absent: the benchmark's own embedded PostgreSQL. */
  adminUrl?: string;
  database: string;
  redisUrl: string;
  dataDir: string;
  tenants: number;
  loadTenants: number;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  queries: OperationKey[];
  /** 0 skips the RLS-transaction measurement. */
  rlsSeconds: number;
  rlsRounds: number;
  outDir: string;
  /** Profile the gateway (V8 .cpuprofile in outDir). */
  cpuProfile: boolean;
}

/** The benchmark's settings, from the environment (README: bench/README.md). */
export function loadBenchOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new Error(`Invalid benchmark settings:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  }
  const e = parsed.data;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    adminUrl: e.DATABASE_URL,
    database: e.BENCH_DATABASE,
    redisUrl: e.REDIS_URL,
    dataDir: e.TESSERA_DATA_DIR,
    tenants: e.BENCH_TENANTS,
    loadTenants: Math.min(e.BENCH_LOAD_TENANTS, e.BENCH_TENANTS),
    connections: e.BENCH_CONNECTIONS,
    warmupSeconds: e.BENCH_WARMUP,
    durationSeconds: e.BENCH_DURATION,
    queries: e.BENCH_QUERIES.split(',') as OperationKey[],
    rlsSeconds: e.BENCH_RLS_SECONDS,
    rlsRounds: e.BENCH_RLS_ROUNDS,
    outDir: e.BENCH_OUT ?? join('bench', 'results', stamp),
    cpuProfile: e.BENCH_CPU_PROF === '1',
  };
}
