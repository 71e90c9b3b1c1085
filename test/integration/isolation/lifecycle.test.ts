import { expect } from 'chai';
import { UnsafeDatabaseRoleError } from '../../../src/engine/db/role-check.js';
import { createLogger } from '../../../src/engine/observability/logger.js';
import { loadConfig } from '../../../src/engine/config.js';
import {
  CurrentTenantDocument,
  LoginDocument,
  MyMembershipsDocument,
  PlatformStatsDocument,
  TenantsDocument,
} from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { execute, expectError, ok } from '../../support/client.js';
import { provisionTenant, TEST_PASSWORD, type TestTenant } from '../../support/fixtures.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { createAppServices } from '../../../src/app.js';
import { itemAt } from '../../support/lists.js';

describe('isolation: soft-deleted tenants, boot self-check and the platform path', () => {
  let acme: TestTenant;
  let doomed: TestTenant;
  let operatorToken: string;

  before(async () => {
    [acme, doomed] = await Promise.all([provisionTenant('acme'), provisionTenant('doomed')]);
    const operator = await adminOne<{ id: string }>(
      `insert into users (id, email, name, password_hash, is_platform_admin)
       values (gen_random_uuid(), 'ops-' || gen_random_uuid() || '@tessera.example.com', 'Ops', 'x', true) returning id`,
    );
    operatorToken = testEnv().services.tokens.sign({ sub: operator.id });
  });

  describe('a soft-deleted tenant', () => {
    before(async () => {
      // The owner of `doomed` also joins acme, to check the deleted tenant vanishes from their list.
      await adminQuery(`insert into memberships (tenant_id, id, user_id, role) values ($1, gen_random_uuid(), $2, 'VIEWER')`, [
        acme.id,
        doomed.ownerId,
      ]);
      await adminQuery('update tenants set deleted_at = now() where id = $1', [doomed.id]);
      testEnv().services.tenants.clear();
    });

    it('answers TENANT_NOT_FOUND to its own still-valid tokens', async () => {
      expectError(await execute(CurrentTenantDocument, {}, { token: doomed.token }), 'TENANT_NOT_FOUND');
      expectError(await execute(CurrentTenantDocument, {}, { headers: { 'x-tenant-slug': doomed.slug } }), 'TENANT_NOT_FOUND');
    });

    it('cannot be signed into, and is gone from the member list of tenants', async () => {
      const login = await execute(LoginDocument, {
        input: { email: doomed.ownerEmail, password: TEST_PASSWORD, tenantSlug: doomed.slug },
      });
      expectError(login, 'UNAUTHENTICATED');
      const fallback = ok(await execute(LoginDocument, { input: { email: doomed.ownerEmail, password: TEST_PASSWORD } }));
      expect(fallback.login.tenant?.id).to.equal(acme.id);
      const memberships = ok(await execute(MyMembershipsDocument, {}, { token: fallback.login.token }));
      expect(memberships.myMemberships?.map((m) => m.tenant?.id)).to.deep.equal([acme.id]);
    });

    it('is not listed to platform operators', async () => {
      const data = ok(await execute(TenantsDocument, { first: 100 }, { token: operatorToken }));
      const ids = data.tenants!.edges.map((edge) => edge.node.id);
      expect(ids).to.include(acme.id);
      expect(ids).not.to.include(doomed.id);
    });
  });

  describe('the platform-operator path', () => {
    it('is refused to tenant owners', async () => {
      expectError(await execute(TenantsDocument, {}, { token: acme.token }), 'FORBIDDEN');
      expectError(await execute(PlatformStatsDocument, {}, { token: acme.token }), 'FORBIDDEN');
      expectError(await execute(PlatformStatsDocument, {}), 'UNAUTHENTICATED');
    });

    it('reads across tenants and leaves an audit record of who did it', async () => {
      const { count: before } = await adminOne<{ count: number }>('select count(*)::int from platform_audit_events');
      const stats = ok(await execute(PlatformStatsDocument, {}, { token: operatorToken })).platformStats!;
      const { count: memberships } = await adminOne<{ count: number }>('select count(*)::int from memberships');
      expect(stats.memberships).to.equal(memberships);
      const latest = await adminOne<{ action: string }>('select action from platform_audit_events order by created_at desc limit 1');
      expect(latest.action).to.equal('platform.stats');
      const { count: after } = await adminOne<{ count: number }>('select count(*)::int from platform_audit_events');
      expect(after).to.equal(before + 1);
    });

    it('pages through tenants with cursors', async () => {
      const first = ok(await execute(TenantsDocument, { first: 1 }, { token: operatorToken })).tenants!;
      expect(first.edges).to.have.length(1);
      expect(first.pageInfo.hasNextPage).to.equal(true);
      const second = ok(await execute(TenantsDocument, { first: 1, after: first.pageInfo.endCursor }, { token: operatorToken })).tenants!;
      expect(itemAt(second.edges, 0).node.id).not.to.equal(itemAt(first.edges, 0).node.id);
      expectError(await execute(TenantsDocument, { first: 1, after: 'forged' }, { token: operatorToken }), 'BAD_USER_INPUT');
    });
  });

  describe('boot self-check', () => {
    const tryServe = (databaseUrl: string) =>
      createAppServices({
        config: loadConfig({ NODE_ENV: 'test' }),
        log: createLogger('silent'),
        databaseUrl,
        jwtSecret: testEnv().jwtSecret,
      }).then(
        async (services) => {
          await services.close();
          return undefined;
        },
        (error: unknown) => error,
      );

    it('refuses to serve as the table owner (migrator) role', async () => {
      expect(await tryServe(testEnv().urls.migratorUrl)).to.be.instanceOf(UnsafeDatabaseRoleError);
    });

    it('refuses to serve as a superuser', async () => {
      expect(await tryServe(testEnv().adminDatabaseUrl)).to.be.instanceOf(UnsafeDatabaseRoleError);
    });
  });
});
