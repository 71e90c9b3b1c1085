import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';
import { prepareDatabase, type DatabaseUrls } from './bootstrap.js';
import { startEmbeddedPostgres } from './embedded.js';

const DATABASE_NAME = 'tessera';

interface LocalSecrets {
  superuserPassword: string;
  rolePassword: string;
  jwtSecret: string;
}

export interface ZeroSetupDatabase extends DatabaseUrls {
  jwtSecret: string;
  stop(): Promise<void>;
}

/** Secrets generated on first start and kept (0600) beside the data, so restarts reuse them. */
async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
  const secret = () => randomBytes(24).toString('base64url');
  const secrets = { superuserPassword: secret(), rolePassword: secret(), jwtSecret: randomBytes(48).toString('base64url') };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** A real PostgreSQL under `dataDir` with the owner and app roles, for `npm start` without DATABASE_URL. */
export async function startZeroSetupDatabase(dataDir: string, port: number, log: Logger): Promise<ZeroSetupDatabase> {
  const secrets = await localSecrets(dataDir);
  const cluster = await startEmbeddedPostgres(join(dataDir, 'pg'), port, secrets.superuserPassword, log);
  const urls = await prepareDatabase(cluster.adminUrl, DATABASE_NAME, secrets.rolePassword);
  return { ...urls, jwtSecret: secrets.jwtSecret, stop: () => cluster.stop() };
}
