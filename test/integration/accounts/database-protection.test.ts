import { expect } from 'chai';
import { createAppServices } from '../../../src/app.js';
import { loadConfig } from '../../../src/engine/config.js';
import { UnprotectedTenantTableError } from '../../../src/engine/db/role-check.js';
import { createLogger } from '../../../src/engine/observability/logger.js';
import { LoginDocument } from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { execute, ok } from '../../support/client.js';
import { provisionTenant, TEST_PASSWORD, type TestTenant } from '../../support/fixtures.js';
import { adminOne, adminQuery, sqlState, withAppRoleClient } from '../../support/sql.js';

const PERMISSION_DENIED = '42501';

/** What the gateway would do at start on this database: undefined when it serves, the error when it refuses. */
const tryServe = () =>
  createAppServices({
    config: loadConfig({ NODE_ENV: 'test' }),
    log: createLogger('silent'),
    databaseUrl: testEnv().urls.appUrl,
    jwtSecret: testEnv().jwtSecret,
  }).then(
    async (services) => {
      await services.close();
      return undefined;
    },
    (error: unknown) => error,
  );

describe("database: the app role's own limits, attacked in SQL", () => {
  let acme: TestTenant;

  before(async () => {
    acme = await provisionTenant('dbp');
  });

  it('cannot read password hashes, by column or by *', async () => {
    await withAppRoleClient(async (client) => {
      expect(await sqlState(client.query('select password_hash from users'))).to.equal(PERMISSION_DENIED);
      expect(await sqlState(client.query('select * from users'))).to.equal(PERMISSION_DENIED);
      expect(await sqlState(client.query(`select id from users where password_hash like '$argon2%'`))).to.equal(PERMISSION_DENIED);
      // The definer function answers for one given e-mail only; sign-in still works through it.
      const { rows } = await client.query('select user_id from tessera_user_credentials($1)', [acme.ownerEmail]);
      expect(rows).to.deep.equal([{ user_id: acme.ownerId }]);
      expect((await client.query(`select * from tessera_user_credentials('%')`)).rows).to.deep.equal([]);
    });
    ok(await execute(LoginDocument, { input: { email: acme.ownerEmail, password: TEST_PASSWORD } }));
  });

  it("cannot make anyone a platform operator, nor rewrite a tenant's identity or purge mark", async () => {
    await withAppRoleClient(async (client) => {
      expect(await sqlState(client.query('update users set is_platform_admin = true where id = $1', [acme.ownerId]))).to.equal(
        PERMISSION_DENIED,
      );
      const insert = client.query(
        `insert into users (id, email, name, password_hash, is_platform_admin) values (gen_random_uuid(), 'op@evil.example.com', 'Op', 'x', true)`,
      );
      expect(await sqlState(insert)).to.equal(PERMISSION_DENIED);
      // Nor take over another tenant's slug, or mark a tenant purged without purging it.
      expect(await sqlState(client.query(`update tenants set slug = 'stolen-slug' where id = $1`, [acme.id]))).to.equal(PERMISSION_DENIED);
      expect(await sqlState(client.query('update tenants set purged_at = now() where id = $1', [acme.id]))).to.equal(PERMISSION_DENIED);
    });
    const row = await adminOne<{ is_platform_admin: boolean }>('select is_platform_admin from users where id = $1', [acme.ownerId]);
    expect(row.is_platform_admin).to.equal(false);
  });

  it('cannot purge a tenant deleted inside the retention period', async () => {
    const doomed = await provisionTenant('dbp-del');
    await adminQuery(`update tenants set status = 'DELETED', deleted_at = now() - interval '1 day' where id = $1`, [doomed.id]);
    await withAppRoleClient(async (client) => {
      expect(await sqlState(client.query('select tessera_purge_tenant($1)', [doomed.id]))).to.equal(PERMISSION_DENIED);
      // The retention is the owner's setting, not the app role's.
      expect(await sqlState(client.query(`update tessera_settings set tenant_retention = interval '0'`))).to.equal(PERMISSION_DENIED);
    });
    const { count } = await adminOne<{ count: number }>('select count(*)::int from memberships where tenant_id = $1', [doomed.id]);
    expect(count).to.equal(1);
    const tenant = await adminOne<{ purged_at: Date | null }>('select purged_at from tenants where id = $1', [doomed.id]);
    expect(tenant.purged_at).to.equal(null);
  });

  it('the gateway refuses to start while a tenant table lacks RLS enabled and forced or a policy per command', async () => {
    await adminQuery('create table forgotten_notes (tenant_id uuid not null, id uuid primary key, body text)');
    try {
      const refused = await tryServe();
      expect(refused).to.be.instanceOf(UnprotectedTenantTableError);
      expect((refused as Error).message).to.include('forgotten_notes (RLS not enabled, RLS not forced, no SELECT policy');

      // Enabled and forced, but only a SELECT policy: still refused, naming what is missing.
      await adminQuery('alter table forgotten_notes enable row level security');
      await adminQuery('alter table forgotten_notes force row level security');
      await adminQuery(
        `create policy forgotten_select on forgotten_notes for select using (tenant_id = current_setting('app.tenant_id', true)::uuid)`,
      );
      const stillRefused = await tryServe();
      expect((stillRefused as Error).message).to.include('forgotten_notes (no INSERT policy, no UPDATE policy, no DELETE policy)');

      await adminQuery(
        `create policy forgotten_all on forgotten_notes for all using (tenant_id = current_setting('app.tenant_id', true)::uuid)`,
      );
      expect(await tryServe()).to.equal(undefined);
    } finally {
      await adminQuery('drop table forgotten_notes');
    }
  });
});
