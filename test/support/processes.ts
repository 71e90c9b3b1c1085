import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../setup/environment.js';

export interface ChildService {
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing drains. */
  kill(): Promise<void>;
}

const entry = (file: string) => fileURLToPath(new URL(`../../src/${file}`, import.meta.url));

/** The environment a production-like child process gets: the app role, Redis, the shared JWT key. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = testEnv();
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: env.urls.appUrl,
    DATABASE_PLATFORM_URL: env.urls.platformUrl,
    REDIS_URL: env.redisUrl,
    JWT_SECRET: env.jwtSecret,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_SIGNUPS_PER_HOUR: '100000',
    RATE_LIMIT_OPERATIONS_PER_MINUTE: '100000',
    PROVISIONING_MAX_ATTEMPTS: '3',
    ...extra,
  };
}

function start(
  file: string,
  extra: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
): Promise<{ service: ChildService; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [...nodeArgs, entry(file)], { env: childEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const service: ChildService = {
    child,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ service, match });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`${file} exited with ${code} before it was ready:\n${output}`)));
  });
}

/** A gateway process (`npm start` with DATABASE_URL); resolves with its GraphQL URL. `nodeArgs` go before the entry (e.g. `--import`). */
export async function startGatewayProcess(
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ChildService & { url: string }> {
  const { service, match } = await start('main.js', extra, /"url":"(http:\/\/[^"]+)","msg":"gateway listening"/, nodeArgs);
  const url = match[1];
  if (!url) throw new Error(`No URL in the gateway's ready line: ${match[0]}`);
  return { ...service, url };
}

/** A job worker process (`npm run worker`). */
export async function startWorkerProcess(extra: Record<string, string> = {}): Promise<ChildService> {
  const { service } = await start('worker-main.js', extra, /"msg":"job worker started"/);
  return service;
}
