import type { Client } from 'graphql-ws';
import { expect } from 'chai';
import { print } from 'graphql';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  CreateTaskDocument,
  CurrentTenantDocument,
  LoginDocument,
  RestoreTenantDocument,
  SuspendTenantDocument,
} from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';
import { provisionTenant, TEST_PASSWORD, type TestTenant } from '../../support/fixtures.js';
import { createProject } from '../../support/projects.js';
import { RedisProcess } from '../../support/redis-process.js';
import { adminOne } from '../../support/sql.js';
import { waitUntil } from '../../support/wait.js';
import { wsClient } from '../../support/ws.js';

const TASK_CHANGED = `subscription ($projectId: ID!) { taskChanged(projectId: $projectId) { kind taskId } }`;

interface LogLine {
  msg: string;
  role?: string;
}

/** A pino logger whose JSON lines the test reads back. */
function capturedLogger() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

async function post(server: ExtraServer, query: string, variables: object, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(server.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, ...((await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] }) };
}

async function readyz(server: ExtraServer) {
  const response = await fetch(new URL('/readyz', server.url));
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

/** Subscribes over graphql-ws on `server` and collects the task ids that arrive. */
function subscribeTasks(server: ExtraServer, token: string, projectId: string): { client: Client; taskIds: string[] } {
  const client = wsClient(token, {}, server.url);
  const taskIds: string[] = [];
  client.subscribe<{ taskChanged: { taskId: string } }>(
    { query: TASK_CHANGED, variables: { projectId } },
    {
      next: (value) => value.data && taskIds.push(value.data.taskChanged.taskId),
      error: () => {},
      complete: () => {},
    },
  );
  return { client, taskIds };
}

describe('faults: Redis stopped while serving', function () {
  this.timeout(60_000);
  let redis: RedisProcess;
  let gatewayA: ExtraServer;
  let gatewayB: ExtraServer;
  let logsA: LogLine[];
  let tenant: TestTenant;
  let ops: string;
  let projectId: string;
  const sockets: Client[] = [];

  before(async () => {
    redis = await RedisProcess.start();
    const captured = capturedLogger();
    logsA = captured.lines;
    // A long tenant cache: only a cross-process invalidation can make gateway A see a suspension quickly.
    const env = { REDIS_URL: redis.url, TENANT_CACHE_TTL_SECONDS: '3600', RATE_LIMIT_SIGNUPS_PER_HOUR: '100000' };
    [gatewayA, gatewayB] = await Promise.all([startExtraServer(env, { log: captured.log }), startExtraServer(env)]);
    tenant = await provisionTenant('redis-fault');
    projectId = await createProject(tenant.token);
    const operator = await adminOne<{ id: string }>(
      `insert into users (id, email, name, password_hash, is_platform_admin)
       values (gen_random_uuid(), 'ops-' || gen_random_uuid() || '@tessera.example.com', 'Ops', 'x', true) returning id`,
    );
    ops = testEnv().services.tokens.sign({ sub: operator.id });
  });

  after(async () => {
    for (const socket of sockets) await socket.dispose();
    await Promise.all([gatewayA?.stop(), gatewayB?.stop()]);
    await redis?.kill();
  });

  const createTaskOn = async (server: ExtraServer) => {
    const result = await post(server, print(CreateTaskDocument), { input: { projectId, title: 'During a fault' } }, tenant.token);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    return result.data.createTask.id as string;
  };

  /** Gateway B suspends the tenant; gateway A (which has it cached) must refuse its mutations within `ms`. */
  const expectSuspensionSeenAcross = async (ms: number) => {
    expect((await post(gatewayA, print(CurrentTenantDocument), {}, tenant.token)).data.currentTenant.id).to.equal(tenant.id);
    expect((await post(gatewayB, print(SuspendTenantDocument), { tenantId: tenant.id, reason: 'fault test' }, ops)).errors).to.equal(
      undefined,
    );
    await waitUntil(
      () => post(gatewayA, print(CreateTaskDocument), { input: { projectId, title: 'refused' } }, tenant.token),
      (result) => result.errors?.[0]?.extensions?.code === 'TENANT_SUSPENDED',
      ms,
    );
    expect((await post(gatewayB, print(RestoreTenantDocument), { tenantId: tenant.id }, ops)).errors).to.equal(undefined);
    await waitUntil(
      () => post(gatewayA, print(CreateTaskDocument), { input: { projectId, title: 'ok' } }, tenant.token),
      (r) => !r.errors,
      ms,
    );
  };

  it('keeps serving queries and mutations, reports Redis as degraded, logs the outage once, and recovers subscriptions and invalidation', async () => {
    const before = subscribeTasks(gatewayA, tenant.token, projectId);
    sockets.push(before.client);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const first = await createTaskOn(gatewayB);
    await waitUntil(
      async () => before.taskIds,
      (ids) => ids.includes(first),
      5_000,
    );
    await expectSuspensionSeenAcross(3_000);
    expect((await readyz(gatewayA)).body.checks.redis).to.equal('ok');

    await redis.kill();
    const outageStarted = Date.now();
    // Serve for a while during the outage: ioredis retries many times meanwhile.
    while (Date.now() - outageStarted < 4_000) {
      await createTaskOn(gatewayA);
      await createTaskOn(gatewayB);
      const read = await post(gatewayA, print(CurrentTenantDocument), {}, tenant.token);
      expect(read.data.currentTenant.id).to.equal(tenant.id);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Sign-in (rate-limited through Redis) still works: each process counts on its own meanwhile.
    const login = await post(gatewayA, print(LoginDocument), { input: { email: tenant.ownerEmail, password: TEST_PASSWORD } });
    expect(login.errors, JSON.stringify(login.errors)).to.equal(undefined);
    const degraded = await readyz(gatewayA);
    expect(degraded.status).to.equal(200);
    expect(degraded.body.status).to.equal('degraded');
    expect(degraded.body.checks).to.include({ postgres: 'ok', redis: 'degraded' });

    const unavailable = logsA.filter((line) => line.msg === 'redis unavailable');
    expect(unavailable.map((line) => line.role).sort()).to.deep.equal(['cache', 'publish', 'subscribe']);
    expect(logsA.filter((line) => /redis/i.test(line.msg))).to.have.length(3);

    await redis.restart();
    await waitUntil(
      async () => logsA.filter((line) => line.msg === 'redis reconnected').length,
      (count) => count === 3,
      10_000,
    );
    const recovered = await readyz(gatewayA);
    expect(recovered.status).to.equal(200);
    expect(recovered.body).to.deep.include({ status: 'ready' });
    expect(logsA.filter((line) => /redis/i.test(line.msg))).to.have.length(6);

    // The subscription opened before the outage receives events again, and a new one works too.
    const after = subscribeTasks(gatewayA, tenant.token, projectId);
    sockets.push(after.client);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const last = await createTaskOn(gatewayB);
    await waitUntil(
      async () => ({ old: before.taskIds, fresh: after.taskIds }),
      ({ old, fresh }) => old.includes(last) && fresh.includes(last),
      5_000,
    );
    // Cross-process cache invalidation works again.
    await expectSuspensionSeenAcross(3_000);
  });
});
