import pg from 'pg';
import { testEnv } from '../../setup/environment.js';
import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminOne, adminQuery, sqlState, withAppRoleClient } from '../../support/sql.js';

const SET_TENANT = `select set_config('app.tenant_id', $1, true)`;

describe('isolation: row-level security under the app role (raw SQL)', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let globexMembershipId: string;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('acme'), provisionTenant('globex')]);
    await addMember(acme, Role.MEMBER);
    await addMember(globex, Role.VIEWER);
    ({ id: globexMembershipId } = await adminOne<{ id: string }>('select id from memberships where tenant_id = $1 limit 1', [globex.id]));
  });

  it('the app role is no superuser, has no BYPASSRLS and owns no table', async () => {
    const [role] = await withAppRoleClient(
      async (client) =>
        (
          await client.query(`select rolsuper, rolbypassrls,
        (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = current_user) as owned
        from pg_roles where rolname = current_user`)
        ).rows,
    );
    expect(role).to.deep.equal({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('every tenant table has RLS enabled and forced', async () => {
    const tables = await adminQuery<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
      where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
        and c.relname <> 'provisionings' -- the global sign-up registry, read before a tenant is served`);
    expect(tables.length).to.be.greaterThan(2);
    for (const table of tables) {
      expect(table, table.relname).to.include({ relrowsecurity: true, relforcerowsecurity: true });
    }
  });

  it('sees nothing without the tenant setting, although rows exist', async () => {
    const { count: stored } = await adminOne<{ count: number }>('select count(*)::int from memberships');
    expect(stored).to.be.greaterThan(3);
    const visible = await withAppRoleClient(async (client) => (await client.query('select * from memberships')).rows);
    expect(visible).to.deep.equal([]);
  });

  it('sees exactly its own tenant with the setting', async () => {
    const rows = await withAppRoleClient(async (client) => {
      await client.query('begin');
      await client.query(SET_TENANT, [acme.id]);
      return (await client.query<{ tenant_id: string }>('select tenant_id from memberships')).rows;
    });
    expect(rows).to.have.length(2);
    expect(rows.every((row) => row.tenant_id === acme.id)).to.equal(true);
  });

  it('rejects an INSERT carrying another tenant id', async () => {
    const state = await withAppRoleClient(async (client) => {
      await client.query('begin');
      await client.query(SET_TENANT, [acme.id]);
      return sqlState(
        client.query(`insert into memberships (tenant_id, id, user_id, role) values ($1, gen_random_uuid(), $2, 'OWNER')`, [
          globex.id,
          acme.ownerId,
        ]),
      );
    });
    expect(state).to.equal('42501');
    const { count } = await adminOne<{ count: number }>('select count(*)::int from memberships where tenant_id = $1 and user_id = $2', [
      globex.id,
      acme.ownerId,
    ]);
    expect(count).to.equal(0);
  });

  it('cannot UPDATE or DELETE another tenant row, nor move its own row to another tenant', async () => {
    const result = await withAppRoleClient(async (client) => {
      await client.query('begin');
      await client.query(SET_TENANT, [acme.id]);
      const updated = await client.query(`update memberships set role = 'VIEWER' where id = $1`, [globexMembershipId]);
      const deleted = await client.query('delete from memberships where id = $1', [globexMembershipId]);
      const moved = await sqlState(client.query('update memberships set tenant_id = $1 where tenant_id = $2', [globex.id, acme.id]));
      await client.query('rollback');
      return { updated: updated.rowCount, deleted: deleted.rowCount, moved };
    });
    expect(result).to.deep.equal({ updated: 0, deleted: 0, moved: '42501' });
    const [row] = await adminQuery('select id from memberships where id = $1', [globexMembershipId]);
    expect(row).to.deep.equal({ id: globexMembershipId });
  });

  it('a pooled connection does not carry the previous transaction tenant', async () => {
    await withAppRoleClient(async (client) => {
      await client.query('begin');
      await client.query(SET_TENANT, [acme.id]);
      expect((await client.query('select count(*)::int as n from memberships')).rows[0].n).to.equal(2);
      await client.query('commit');
      const [{ setting }] = (await client.query(`select current_setting('app.tenant_id', true) as setting`)).rows;
      expect(setting ?? '').to.equal('');
      expect((await client.query('select count(*)::int as n from memberships')).rows[0].n).to.equal(0);
    });
  });

  it('cannot switch row security off, take the owner role, or drop a policy', async () => {
    const states = await withAppRoleClient(async (client) => ({
      rowSecurityOff: await sqlState(client.query('set row_security = off').then(() => client.query('select * from memberships'))),
      ownerRole: await sqlState(client.query('set role tessera_owner')),
      dropPolicy: await sqlState(client.query('drop policy memberships_tenant_select on memberships')),
      disableRls: await sqlState(client.query('alter table memberships disable row level security')),
    }));
    expect(states).to.deep.equal({ rowSecurityOff: '42501', ownerRole: '42501', dropPolicy: '42501', disableRls: '42501' });
  });

  it('the app role cannot switch on the platform read: app.platform_read opens nothing', async () => {
    const seen = await withAppRoleClient(async (client) => {
      await client.query('begin');
      await client.query(`select set_config('app.platform_read', 'on', true)`);
      const memberships = (await client.query('select distinct tenant_id from memberships')).rows.length;
      await client.query('rollback');
      return memberships;
    });
    expect(seen).to.equal(0);
  });

  it('the platform role reads across tenants but never writes their rows', async () => {
    const client = new pg.Client({ connectionString: testEnv().urls.platformUrl });
    await client.connect();
    try {
      await client.query('begin');
      const tenants = (await client.query('select distinct tenant_id from memberships')).rows.length;
      const updated = await sqlState(client.query(`update memberships set role = 'VIEWER' where id = $1`, [globexMembershipId]));
      await client.query('rollback');
      const inserted = await sqlState(
        client.query(`insert into memberships (tenant_id, id, user_id, role) values ($1, gen_random_uuid(), $2, 'OWNER')`, [
          globex.id,
          acme.ownerId,
        ]),
      );
      const hashes = await sqlState(client.query('select password_hash from users'));
      const promoted = await sqlState(client.query('update users set is_platform_admin = true'));
      expect(tenants).to.be.greaterThan(1);
      expect({ updated, inserted, hashes, promoted }).to.deep.equal({
        updated: '42501',
        inserted: '42501',
        hashes: '42501',
        promoted: '42501',
      });
    } finally {
      await client.end();
    }
  });
});
