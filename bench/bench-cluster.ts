import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/engine/db/embedded.js';
import type { Logger } from '../src/engine/observability/logger.js';

const PORT = 54349;
const SUPERUSER_PASSWORD = 'tessera-bench-superuser';

/*
 * The anchor's PostgreSQL settings (anchor-bench/scripts/pg.sh), so numbers are comparable:
 * pg_stat_statements to count statements, the data in shared buffers, no JIT, and no fsync wait
 * at commit so that Q3 measures the server rather than this machine's disk.
 */
const SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'top',
  shared_buffers: '1GB',
  work_mem: '8MB',
  synchronous_commit: 'off',
  jit: 'off',
};

/**
 * The benchmark's own embedded PostgreSQL (when DATABASE_URL is not set), under
 * .tessera/bench-pg, configured once with SETTINGS (a restart applies them).
 */
export async function startBenchCluster(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  const dir = join(dataDir, 'bench-pg');
  const cluster = await startEmbeddedPostgres(dir, PORT, SUPERUSER_PASSWORD, log);
  if (!(await applySettings(cluster.adminUrl))) return cluster;
  log.info('restarting the benchmark PostgreSQL to apply its settings');
  await cluster.stop();
  return startEmbeddedPostgres(dir, PORT, SUPERUSER_PASSWORD, log);
}

/** ALTER SYSTEM for every setting that differs; true when a restart is needed. */
async function applySettings(adminUrl: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ name: string; setting: string; pending: boolean }>(
      `select name, current_setting(name) as setting, pending_restart as pending from pg_settings where name = any($1)`,
      [Object.keys(SETTINGS)],
    );
    let restart = false;
    for (const { name, setting, pending } of rows) {
      const wanted = SETTINGS[name];
      if (wanted === undefined || (setting === wanted && !pending)) continue;
      await admin.query(`alter system set ${admin.escapeIdentifier(name)} = ${admin.escapeLiteral(wanted)}`);
      restart = true;
    }
    return restart;
  } finally {
    await admin.end();
  }
}
