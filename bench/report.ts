import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from './checks.js';
import type { LoadResult } from './load.js';
import type { StatementStats } from './statements.js';
import type { RlsVariantResult } from './rls-overhead.js';

export interface QueryRun extends LoadResult {
  key: string;
  label: string;
  /** Null when pg_stat_statements is not available on the server. */
  statementsPerRequest: number | null;
  dbExecMsPerRequest: number | null;
  topStatements: StatementStats['top'];
  serverCpuMsPerRequest: number;
  machineBusy: number;
  machineSteal: number;
}

export interface BenchResults {
  meta: Record<string, unknown>;
  checks: CheckResult[];
  runs: QueryRun[];
  rls: RlsVariantResult[] | null;
}

const fmt = (value: number | null | undefined, digits = 0) => (value == null || Number.isNaN(value) ? '–' : value.toFixed(digits));

/** The results as markdown: the load table, the RLS-transaction table and the checks. */
export function renderMarkdown(results: BenchResults): string {
  const { meta } = results;
  const lines = [
    `# Tessera benchmark ${String(meta.startedAt)}`,
    '',
    `Dataset: ${JSON.stringify(meta.dataset)}. Load: ${JSON.stringify(meta.load)}.`,
    `Node ${String(meta.node)}, PostgreSQL ${String(meta.postgres)}, ${String(meta.cpus)} CPUs; SQL statements counted with ${String(meta.statementCounting)}.`,
    '',
    '| query | req/s | p50 ms | p90 ms | p99 ms | errors | SQL stmts/req | DB exec ms/req | gateway CPU ms/req | busy (steal) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.runs.map((run) => {
      const { p50, p90, p99 } = run.latencyMs;
      return (
        `| ${run.label} | ${fmt(run.rps)} | ${fmt(p50, 1)} | ${fmt(p90, 1)} | ${fmt(p99, 1)} | ${run.errors.total} | ` +
        `${fmt(run.statementsPerRequest, 2)} | ${fmt(run.dbExecMsPerRequest, 2)} | ${fmt(run.serverCpuMsPerRequest, 2)} | ` +
        `${fmt(run.machineBusy, 2)} (${fmt(run.machineSteal, 3)}) |`
      );
    }),
  ];
  const failures = results.runs.filter((run) => run.errors.firstFailure);
  for (const run of failures) lines.push('', `${run.key} first failure: ${run.errors.firstFailure}`);
  if (results.rls) {
    const bare = (concurrency: number) =>
      results.rls?.find((v) => v.variant === 'bare' && v.concurrency === concurrency)?.opsPerSecond ?? Number.NaN;
    lines.push(
      '',
      '## The per-request RLS transaction (same ORM read, same run, interleaved rounds)',
      '',
      '| variant | in flight | ops/s median (rounds) | p50 ms | p99 ms | ÷ bare |',
      '|---|---|---|---|---|---|',
      ...results.rls.map(
        (v) =>
          `| ${v.variant}: ${v.description} | ${v.concurrency} | ${fmt(v.opsPerSecond)} (${v.perRound.join(' / ')}) | ` +
          `${fmt(v.p50Ms, 2)} | ${fmt(v.p99Ms, 2)} | ${fmt(v.opsPerSecond / bare(v.concurrency), 2)}× |`,
      ),
    );
  }
  lines.push('', '## Checks before the load', '', ...results.checks.map((c) => `- ${c.ok ? 'PASS' : 'FAIL'} ${c.name} — ${c.detail}`), '');
  return lines.join('\n');
}

/** Writes results.json and results.md into `dir`; returns the markdown. */
export function writeResults(dir: string, results: BenchResults): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2));
  const markdown = renderMarkdown(results);
  writeFileSync(join(dir, 'results.md'), markdown);
  return markdown;
}
