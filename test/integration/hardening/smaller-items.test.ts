import { expect } from 'chai';
import { loadConfig } from '../../../src/engine/config.js';
import { publicErrorText, NotFoundError } from '../../../src/engine/graphql/errors.js';
import { createLogger } from '../../../src/engine/observability/logger.js';
import { seedDemoData } from '../../../src/demo.js';
import { createAppServices } from '../../../src/app.js';
import { testEnv } from '../../setup/environment.js';
import { request } from '../../support/client.js';
import { provisionTenant } from '../../support/fixtures.js';
import { startExtraServer } from '../../support/extra-server.js';
import { startServer } from '../../../src/engine/http/server.js';
import { inTenantTransaction } from '../../../src/engine/tenancy/tenant-session.js';
import { adminQuery } from '../../support/sql.js';

describe('hardening: smaller items (issue 13)', function () {
  this.timeout(60_000);

  it('deleteTenant drops the tenant from the cache after the commit: the next request no longer finds it', async () => {
    const tenant = await provisionTenant('del13');
    // Warm the directory with the ACTIVE row, then delete and ask again at once by slug.
    expect((await request('{ currentTenant { id } }', {}, { token: tenant.token })).errors).to.equal(undefined);
    const deleted = await request(
      'mutation ($slug: String!) { deleteTenant(confirmSlug: $slug) }',
      { slug: tenant.slug },
      { token: tenant.token },
    );
    expect(deleted.errors).to.equal(undefined);
    const after = await request('{ apiVersion }', {}, { headers: { 'x-tenant-slug': tenant.slug } });
    expect(after.errors?.map((error) => error.extensions?.code)).to.deep.equal(['TENANT_NOT_FOUND']);
    const [row] = await adminQuery<{ status: string }>('select status from tenants where id = $1', [tenant.id]);
    expect(row!.status).to.equal('DELETED');
  });

  it('the demo seeder refuses NODE_ENV=production (it creates an operator with a published password)', async () => {
    const env = testEnv();
    const services = await createAppServices({
      config: loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: env.urls.appUrl,
        DATABASE_MIGRATOR_URL: env.urls.appUrl,
        JWT_SECRET: env.jwtSecret,
        REDIS_URL: env.redisUrl,
      }),
      log: createLogger('silent'),
      databaseUrl: env.urls.appUrl,
      jwtSecret: env.jwtSecret,
    });
    try {
      const before = await adminQuery<{ count: string }>('select count(*) from users');
      const refused = await seedDemoData(services).then(
        () => 'seeded',
        (error: Error) => error.message,
      );
      expect(refused).to.match(/production/);
      expect(await adminQuery<{ count: string }>('select count(*) from users')).to.deep.equal(before);
    } finally {
      await services.close();
    }
  });

  it('/metrics asks for METRICS_TOKEN when set, and is off in production without one', async () => {
    const guarded = await startExtraServer({ METRICS_TOKEN: 'metrics-secret-0123456789' });
    try {
      const metrics = new URL('/metrics', guarded.url);
      expect((await fetch(metrics)).status).to.equal(401);
      expect((await fetch(metrics, { headers: { authorization: 'Bearer wrong-secret-0123456789' } })).status).to.equal(401);
      const allowed = await fetch(metrics, { headers: { authorization: 'Bearer metrics-secret-0123456789' } });
      expect(allowed.status).to.equal(200);
      expect(await allowed.text()).to.include('tessera_graphql_request_duration_seconds');
    } finally {
      await guarded.stop();
    }
    const env = testEnv();
    const production = await startExtraServer({
      NODE_ENV: 'production',
      DATABASE_URL: env.urls.appUrl,
      DATABASE_MIGRATOR_URL: env.urls.appUrl,
      JWT_SECRET: env.jwtSecret,
      REDIS_URL: env.redisUrl,
    });
    try {
      expect((await fetch(new URL('/metrics', production.url))).status).to.equal(404);
    } finally {
      await production.stop();
    }
  });

  it('/readyz says "unavailable", never the database error text', async () => {
    const env = testEnv();
    const services = await createAppServices({
      config: loadConfig({ NODE_ENV: 'test', DATABASE_POOL_MAX: '1', DATABASE_ACQUIRE_TIMEOUT_MS: '200' }),
      log: createLogger('silent'),
      databaseUrl: env.urls.appUrl,
      jwtSecret: env.jwtSecret,
    });
    const server = await startServer(services, 0, '127.0.0.1');
    const tenant = await provisionTenant('ready13');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The pool's only connection is held by a transaction, so the readiness check cannot get one.
    const holder = inTenantTransaction(services.orm.em, tenant.id, () => held);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await fetch(new URL('/readyz', server.url));
      const body = await response.text();
      expect(response.status).to.equal(503);
      expect(JSON.parse(body).checks.postgres).to.equal('unavailable');
      expect(body).to.not.match(/timeout|exceeded|connect/i);
    } finally {
      release();
      await holder;
      await server.stop();
      await services.close();
    }
  });

  it('production masks exception texts stored as failureReason/lastError/statusReason; typed errors keep theirs', () => {
    const driver = new Error('connect ECONNREFUSED 10.0.0.7:5432 (role "tessera_app")');
    expect(publicErrorText(driver, true)).to.not.include('10.0.0.7');
    expect(publicErrorText(driver, false)).to.include('ECONNREFUSED');
    expect(publicErrorText(new NotFoundError('Tenant'), true)).to.equal('Tenant not found');
  });

  it('NODE_ENV unset means production-like defaults, except zero-setup (no DATABASE_URL) and NODE_ENV=development', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/tessera' }).env).to.equal('production');
    expect(loadConfig({}).env).to.equal('development');
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://app@db/tessera' }).env).to.equal('development');
  });
});
