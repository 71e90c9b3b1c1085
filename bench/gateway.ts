import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { freePort } from '../src/engine/net/free-port.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface GatewayOptions {
  /** dist/src/main.js of the build under test. */
  mainScript: string;
  appUrl: string;
  migratorUrl: string;
  redisUrl: string;
  jwtSecret: string;
  logFile: string;
  /** Write a V8 CPU profile of the gateway into this directory (BENCH_CPU_PROF). */
  cpuProfileDir?: string;
  /** More environment for the gateway (limits, modes), applied after the settings above. */
  env?: Record<string, string>;
}

export interface Gateway {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * The gateway as production runs it: its own Node process, NODE_ENV=production, the app role's
 * URL, a pool of 10 (the anchor's servers use 10 too). Its JSON log goes to `logFile`.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const port = await freePort();
  const log = openSync(options.logFile, 'a');
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  // As `npm start` runs it: AsyncLocalStorage without promise hooks, a young generation for the requests in flight.
  const nodeFlags = ['--experimental-async-context-frame', '--max-semi-space-size=64'];
  const child = spawn(process.execPath, [...nodeFlags, ...profile, options.mainScript], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: options.appUrl,
      DATABASE_MIGRATOR_URL: options.migratorUrl,
      DATABASE_POOL_MAX: '10',
      REDIS_URL: options.redisUrl,
      JWT_SECRET: options.jwtSecret,
      ...options.env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const problem = await Promise.race([
    waitReady(`${base}/readyz`).then(
      () => null,
      (error: Error) => error,
    ),
    exited.then((code) => new Error(`the gateway exited with ${code} before it was ready (log: ${options.logFile})`)),
  ]);
  if (problem) {
    await stopChild(child, exited);
    throw problem;
  }
  return { url: `${base}/graphql`, pid: child.pid!, stop: () => stopChild(child, exited) };
}

async function waitReady(url: string): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until) {
    const ready = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(200);
  }
  throw new Error(`not ready after ${READY_TIMEOUT_MS} ms: ${url}`);
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
