import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { waitUntil } from '../support/wait.js';

const READY_LINE = /Tessera is running: (http:\/\/\S+)/;

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Runs the built `npm start` entry point with no DATABASE_URL, as a newcomer would. */
function startZeroSetup(dataDir: string, pgPort: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: '0',
    TESSERA_DATA_DIR: dataDir,
    EMBEDDED_POSTGRES_PORT: String(pgPort),
    LOG_LEVEL: 'warn',
  };
  const main = fileURLToPath(new URL('../../src/main.js', import.meta.url));
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY_LINE.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function post(url: string, query: string, token?: string): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return response.json();
}

const SIGN_UP = `mutation { provisionTenant(input: { name: "Kept", slug: "kept-across-restarts",
  ownerEmail: "owner@kept.example.com", ownerPassword: "a-long-password", ownerName: "Kept" }) { tenant { slug } } }`;
const SIGN_IN = `mutation { login(input: { email: "owner@kept.example.com", password: "a-long-password" }) { tenant { slug } } }`;

describe('zero-setup start (no DATABASE_URL)', function () {
  this.timeout(120_000);
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-zero-setup-'));
  });

  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('boots embedded PostgreSQL, migrates, seeds, prints tokens that work, and restarts on the same data', async () => {
    const pgPort = 55000 + Math.floor(Math.random() * 900);
    const first = await startZeroSetup(dataDir, pgPort);
    try {
      const token = /OWNER\s+owner@acme\.example\.com\s+Authorization: Bearer (\S+)/.exec(first.output())?.[1];
      expect(token, first.output()).to.be.a('string');
      expect(await post(first.url, '{ __typename me { email } }', token)).to.deep.equal({
        data: { __typename: 'Query', me: { email: 'owner@acme.example.com' } },
      });
      expect(await post(first.url, SIGN_UP)).to.deep.equal({
        data: { provisionTenant: { tenant: { slug: 'kept-across-restarts' } } },
      });
      // The in-process worker provisions in the background: sign-in works once the tenant is ACTIVE.
      await waitUntil(
        () => post(first.url, SIGN_IN),
        (body) => (body as { data?: unknown }).data != null,
      );
    } finally {
      expect(await stop(first.child), first.output()).to.equal(0);
    }

    const second = await startZeroSetup(dataDir, pgPort);
    try {
      expect(second.output()).not.to.contain('initialising embedded PostgreSQL');
      expect(await post(second.url, SIGN_IN)).to.deep.equal({
        data: { login: { tenant: { slug: 'kept-across-restarts' } } },
      });
    } finally {
      expect(await stop(second.child), second.output()).to.equal(0);
    }
  });
});
