import { setTimeout as sleep } from 'node:timers/promises';
import { MikroORM } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import { tesseraOrmConfig } from '../../../mikro-orm.config.js';
import { createAppServices } from '../../../src/app.js';
import { loadConfig } from '../../../src/engine/config.js';
import { isDatabaseUnavailable } from '../../../src/engine/db/connection-errors.js';
import { startServer, type RunningServer } from '../../../src/engine/http/server.js';
import { MembershipCache } from '../../../src/engine/identity/membership-cache.js';
import { Role } from '../../../src/engine/identity/roles.js';
import { createLogger, requestLogStore, type RequestLogFields } from '../../../src/engine/observability/logger.js';
import type { AppServices } from '../../../src/engine/services.js';
import { notificationTopic } from '../../../src/modules/notifications/notification.events.js';
import { TenantDirectory } from '../../../src/engine/tenancy/tenant-directory.js';
import { inTenantTransaction } from '../../../src/engine/tenancy/tenant-session.js';
import { testEnv } from '../../setup/environment.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminQuery } from '../../support/sql.js';
import { waitUntil } from '../../support/wait.js';
import { wsClient } from '../../support/ws.js';

/** SQL statements `work` sends, counted by the ORM's onQuery hook as `x-sql-statements` counts a request's. */
async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const fields: RequestLogFields = { request_id: 'statement-count' };
  const result = await requestLogStore.run(fields, work);
  return { result, statements: fields.sql_statements ?? 0 };
}

/**
 * A new membership's own change notice comes back to this process through Redis and evicts the
 * entry: let it arrive before a test fills the cache.
 */
const settleChangeNotices = () => sleep(500);

/** Whether `lookup` failed because the database could not serve it (the pool timeout here). */
const failsUnavailable = (lookup: Promise<unknown>): Promise<boolean> =>
  lookup.then(
    () => false,
    (error: unknown) => isDatabaseUnavailable(error),
  );

/**
 * Holds the only connection of `orm`'s pool (of one): every other read waits for the acquire
 * timeout and fails, as in a burst that overflows the pool. Returns the release.
 */
async function holdPoolOf(orm: MikroORM, tenantId: string): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const transaction = inTenantTransaction(orm.em, tenantId, async (em) => {
    await em.execute('select 1');
    held();
    await released;
  });
  await holding;
  return async () => {
    release();
    await transaction;
  };
}

describe('hardening: subscriber checks share reads and survive expiry (fan-out bench)', function () {
  this.timeout(60_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await provisionTenant('subchecks');
  });

  it('200 concurrent misses of one role cost one database read', async () => {
    const { memberships } = testEnv().services;
    const first = await addMember(tenant, Role.MEMBER);
    const second = await addMember(tenant, Role.MEMBER);
    await settleChangeNotices();
    const oneRead = await statementsOf(() => memberships.roleOf(tenant.id, first.id));
    expect(oneRead.result).to.equal('MEMBER');
    expect(oneRead.statements).to.be.greaterThan(0);
    const concurrent = await statementsOf(() => Promise.all(Array.from({ length: 200 }, () => memberships.roleOf(tenant.id, second.id))));
    expect(new Set(concurrent.result)).to.deep.equal(new Set(['MEMBER']));
    expect(concurrent.statements).to.equal(oneRead.statements);
  });

  it('a change notice during a read: later checks do not join that read, and its answer is not kept', async () => {
    const { memberships } = testEnv().services;
    const member = await addMember(tenant, Role.MEMBER);
    await settleChangeNotices();

    const olderRead = memberships.roleOf(tenant.id, member.id);
    memberships.forget(tenant.id, member.id);
    const afterNotice = await statementsOf(() => memberships.roleOf(tenant.id, member.id));
    expect(afterNotice.statements, 'a check after the notice reads for itself').to.be.greaterThan(0);
    expect(await olderRead).to.equal('MEMBER');

    memberships.forget(tenant.id, member.id);
    const readBeforeChange = memberships.roleOf(tenant.id, member.id);
    memberships.forget(tenant.id, member.id);
    expect(await readBeforeChange).to.equal('MEMBER');
    // Changed behind the ORM's back (no further notice): only a new read can see it.
    await adminQuery(`update memberships set role = 'VIEWER' where tenant_id = $1 and user_id = $2`, [tenant.id, member.id]);
    expect(await memberships.roleOf(tenant.id, member.id)).to.equal('VIEWER');
  });

  describe('while the database is unreachable (a pool of one connection, held)', () => {
    /** Fresh for 80–100 % of this, then served to live checks for this much longer. */
    const TTL_MS = 3_000;
    const ACQUIRE_TIMEOUT_MS = 300;
    let orm: MikroORM;

    before(async () => {
      orm = await MikroORM.init(
        tesseraOrmConfig({
          clientUrl: testEnv().urls.appUrl,
          poolMax: 1,
          limits: { acquireTimeoutMs: ACQUIRE_TIMEOUT_MS, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 30_000 },
        }),
      );
    });
    after(() => orm.close(true));

    const holdThePool = () => holdPoolOf(orm, tenant.id);

    it('a live role check is answered from the expired entry, by one refresh, and refreshed once the database is back', async () => {
      const { services } = testEnv();
      const member = await addMember(tenant, Role.MEMBER);
      const refreshFailures: unknown[] = [];
      const cache = new MembershipCache(orm, TTL_MS, services.pubSub, services.afterCommit, (error) => refreshFailures.push(error));
      expect(await cache.roleOf(tenant.id, member.id)).to.equal('MEMBER');
      const filledAt = Date.now();
      await adminQuery(`update memberships set role = 'VIEWER' where tenant_id = $1 and user_id = $2`, [tenant.id, member.id]);

      const releasePool = await holdThePool();
      try {
        await sleep(Math.max(0, filledAt + TTL_MS + 50 - Date.now()));
        const live = await Promise.all(Array.from({ length: 50 }, () => cache.roleOf(tenant.id, member.id, { serveStale: true })));
        expect(new Set(live)).to.deep.equal(new Set(['MEMBER']));
        // Not a live check (opening a subscription): no expired answer; it joins the refresh and fails with it.
        expect(await failsUnavailable(cache.roleOf(tenant.id, member.id))).to.equal(true);
        await waitUntil(
          async () => refreshFailures.length,
          (failures) => failures > 0,
          5_000,
        );
        expect(refreshFailures, 'one background refresh for 51 checks').to.have.length(1);
      } finally {
        await releasePool();
      }

      expect(await cache.roleOf(tenant.id, member.id, { serveStale: true })).to.equal('MEMBER');
      // This one joins the refresh the live check started.
      expect(await cache.roleOf(tenant.id, member.id)).to.equal('VIEWER');
      expect(await cache.roleOf(tenant.id, member.id, { serveStale: true })).to.equal('VIEWER');
    });

    it('a forgotten role (a change) is never served stale: without an answer the live check fails', async () => {
      const { services } = testEnv();
      const member = await addMember(tenant, Role.MEMBER);
      const cache = new MembershipCache(orm, TTL_MS, services.pubSub, services.afterCommit);
      expect(await cache.roleOf(tenant.id, member.id)).to.equal('MEMBER');
      const releasePool = await holdThePool();
      try {
        cache.forget(tenant.id, member.id);
        expect(await failsUnavailable(cache.roleOf(tenant.id, member.id, { serveStale: true }))).to.equal(true);
      } finally {
        await releasePool();
      }
    });

    it('the tenant directory: one read for 200 concurrent misses, the expired tenant served to live checks, refreshed when back', async () => {
      const oneRead = await statementsOf(() => new TenantDirectory(orm, TTL_MS).byId(tenant.id));
      expect(oneRead.statements).to.be.greaterThan(0);
      const refreshFailures: unknown[] = [];
      const directory = new TenantDirectory(orm, TTL_MS, undefined, (error) => refreshFailures.push(error));
      const concurrent = await statementsOf(() => Promise.all(Array.from({ length: 200 }, () => directory.byId(tenant.id))));
      expect(new Set(concurrent.result.map((found) => found?.id))).to.deep.equal(new Set([tenant.id]));
      expect(concurrent.statements).to.equal(oneRead.statements);
      const filledAt = Date.now();
      const originalName = concurrent.result[0]!.name;
      await adminQuery(`update tenants set name = 'Renamed behind the cache' where id = $1`, [tenant.id]);

      const releasePool = await holdThePool();
      try {
        await sleep(Math.max(0, filledAt + TTL_MS + 50 - Date.now()));
        const live = await Promise.all(Array.from({ length: 50 }, () => directory.byId(tenant.id, undefined, { serveStale: true })));
        expect(new Set(live.map((found) => found?.name))).to.deep.equal(new Set([originalName]));
        expect(await failsUnavailable(directory.byId(tenant.id))).to.equal(true);
        await waitUntil(
          async () => refreshFailures.length,
          (failures) => failures > 0,
          5_000,
        );
        expect(refreshFailures).to.have.length(1);
      } finally {
        await releasePool();
      }

      expect((await directory.byId(tenant.id, undefined, { serveStale: true }))?.name).to.equal(originalName);
      expect((await directory.byId(tenant.id))?.name).to.equal('Renamed behind the cache');

      // A tenant change (suspension, say) is never served stale.
      const current = (await directory.byId(tenant.id))!;
      const releaseAgain = await holdThePool();
      try {
        directory.invalidate(current);
        expect(await failsUnavailable(directory.byId(tenant.id, undefined, { serveStale: true }))).to.equal(true);
      } finally {
        await releaseAgain();
      }
    });
  });
  describe('a live subscription on a gateway that cannot get a connection (pool of one, held)', () => {
    const TTL_SECONDS = 2;
    let services: AppServices;
    let server: RunningServer;

    before(async () => {
      const env = testEnv();
      services = await createAppServices({
        config: loadConfig({
          NODE_ENV: 'test',
          REDIS_URL: env.redisUrl,
          TENANT_CACHE_TTL_SECONDS: String(TTL_SECONDS),
          DATABASE_POOL_MAX: '1',
          DATABASE_ACQUIRE_TIMEOUT_MS: '300',
          RATE_LIMIT_OPERATIONS_PER_MINUTE: '100000',
        }),
        log: createLogger('silent'),
        databaseUrl: env.urls.appUrl,
        platformDatabaseUrl: env.urls.platformUrl,
        jwtSecret: env.jwtSecret,
      });
      server = await startServer(services, 0, '127.0.0.1');
    });
    after(async () => {
      await server.stop();
      await services.close();
    });

    it('keeps delivering on the expired tenant and role for one more TTL, then ends with SERVICE_UNAVAILABLE', async () => {
      const member = await addMember(tenant, Role.MEMBER);
      await settleChangeNotices();
      const client = wsClient(member.token, {}, server.url);
      const received: string[] = [];
      const errors: unknown[] = [];
      const ended = new Promise<void>((resolve) => {
        client.subscribe(
          { query: 'subscription { notificationReceived { id } }' },
          {
            next: (value) => {
              const id = (value.data as { notificationReceived?: { id: string } } | null | undefined)?.notificationReceived?.id;
              if (id) received.push(id);
              errors.push(...(value.errors ?? []));
            },
            error: (error) => {
              errors.push(...(Array.isArray(error) ? error : [error]));
              resolve();
            },
            complete: () => resolve(),
          },
        );
      });
      const publish = (id: string) =>
        testEnv().services.pubSub.publish(notificationTopic(tenant.id, member.id), {
          id,
          tenantId: tenant.id,
          userId: member.id,
          kind: 'test',
          title: id,
          body: '',
          data: {},
          createdAt: new Date().toISOString(),
        });
      try {
        let attempt = 0;
        await waitUntil(
          async () => {
            publish(`warm-up-${attempt++}`);
            await sleep(100);
            return received.length;
          },
          (count) => count > 0,
          10_000,
        );
        // Filled just now, then no connection: fresh for 0.8–1 TTL, served to live checks until 1.8–2 TTLs.
        services.tenants.clear();
        services.memberships.forget(tenant.id, member.id);
        await services.tenants.byId(tenant.id);
        await services.memberships.roleOf(tenant.id, member.id);
        const filledAt = Date.now();
        const releasePool = await holdPoolOf(services.orm, tenant.id);
        try {
          await sleep(Math.max(0, filledAt + 1_300 * TTL_SECONDS - Date.now()));
          publish('expired');
          await waitUntil(
            async () => received.includes('expired') || errors.length > 0,
            (done) => done,
            5_000,
          );
          expect(errors, 'delivered on the expired answers').to.deep.equal([]);
          await sleep(Math.max(0, filledAt + 2_100 * TTL_SECONDS - Date.now()));
          publish('past-the-grace');
          await Promise.race([ended, sleep(5_000)]);
          expect(received).not.to.include('past-the-grace');
          expect(errors.map((error) => (error as { extensions?: { code?: string } }).extensions?.code)).to.deep.equal([
            'SERVICE_UNAVAILABLE',
          ]);
        } finally {
          await releasePool();
        }
      } finally {
        await client.dispose();
      }
    });
  });
});
