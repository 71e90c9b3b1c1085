import { expect } from 'chai';
import { print } from 'graphql';
import { Role } from '../../src/engine/identity/roles.js';
import {
  CurrentTenantDocument,
  DeleteTenantDocument,
  MyMembershipsDocument,
  RequestTenantExportDocument,
  RestoreTenantDocument,
  SuspendTenantDocument,
  TenantExportDocument,
  TenantsDocument,
} from '../generated/graphql.js';
import { testEnv, useOwnEnvironment } from '../setup/environment.js';
import { execute, expectError, ok } from '../support/client.js';
import { startExtraServer, type ExtraServer } from '../support/extra-server.js';
import { addMember, provisionTenant, type TestTenant } from '../support/fixtures.js';
import { adminOne, adminQuery } from '../support/sql.js';
import { waitUntil } from '../support/wait.js';
import { usageMeter } from '../../src/modules/metering/usage-meter.js';

async function operatorToken(): Promise<string> {
  const operator = await adminOne<{ id: string }>(
    `insert into users (id, email, name, password_hash, is_platform_admin)
     values (gen_random_uuid(), 'ops-' || gen_random_uuid() || '@tessera.example.com', 'Ops', 'x', true) returning id`,
  );
  return testEnv().services.tokens.sign({ sub: operator.id });
}

/** Every row of `tenantId` in every table that has a tenant_id (what an export must contain). */
/** Usage records and rollups are written by jobs about a second after the calls they count. */
const METERING_TABLES = ['usage_records', 'usage_rollups'];

async function rowCount(tenantId: string, tables: string[]): Promise<number> {
  let total = 0;
  for (const table of tables) {
    const { count } = await adminOne<{ count: number }>(`select count(*)::int from "${table}" where tenant_id = $1`, [tenantId]);
    total += count;
  }
  return total;
}

/** Rows of the tenant in every table with a tenant_id, but the export records and metering. */
async function storedRowCount(tenantId: string): Promise<number> {
  const tables = await adminQuery<{ table_name: string }>(
    `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'
     and table_name not in ('tenant_exports') and not (table_name = any($1))`,
    [METERING_TABLES],
  );
  return rowCount(
    tenantId,
    tables.map((row) => row.table_name),
  );
}

describe('tenant lifecycle', function () {
  // A database of its own: a purge with zero retention removes every deleted tenant of its database; tenant statuses change under the cache.
  useOwnEnvironment();
  this.timeout(30_000);
  let ops: string;

  before(async () => {
    ops = await operatorToken();
  });

  describe('suspend and restore (platform operators, audited)', () => {
    let tenant: TestTenant;

    before(async () => {
      tenant = await provisionTenant('susp');
    });

    it('is refused to a tenant owner', async () => {
      expectError(await execute(SuspendTenantDocument, { tenantId: tenant.id, reason: 'x' }, { token: tenant.token }), 'FORBIDDEN');
    });

    it('suspends with a reason, keeps the tenant readable, and restores it', async () => {
      const suspended = ok(await execute(SuspendTenantDocument, { tenantId: tenant.id, reason: 'Unpaid invoices' }, { token: ops }));
      expect(suspended.suspendTenant).to.include({ status: 'SUSPENDED', statusReason: 'Unpaid invoices' });
      const read = ok(await execute(CurrentTenantDocument, {}, { token: tenant.token }));
      expect(read.currentTenant?.id).to.equal(tenant.id);
      expectError(await execute(SuspendTenantDocument, { tenantId: tenant.id, reason: 'again' }, { token: ops }), 'CONFLICT');

      const restored = ok(await execute(RestoreTenantDocument, { tenantId: tenant.id }, { token: ops }));
      expect(restored.restoreTenant).to.include({ status: 'ACTIVE', statusReason: null });
      const actions = await adminQuery<{ action: string }>(
        `select action from platform_audit_events where data->>'tenantId' = $1 order by created_at`,
        [tenant.id],
      );
      // The refused second suspension rolled back with its audit row: the log holds what happened.
      expect(actions.map((row) => row.action)).to.deep.equal(['tenant.suspend', 'tenant.restore']);
    });

    it('answers NOT_FOUND for unknown or malformed tenant ids', async () => {
      expectError(
        await execute(SuspendTenantDocument, { tenantId: '00000000-0000-4000-8000-000000000000', reason: 'x' }, { token: ops }),
        'NOT_FOUND',
      );
      expectError(await execute(RestoreTenantDocument, { tenantId: 'nope' }, { token: ops }), 'NOT_FOUND');
    });
  });

  describe('soft delete', () => {
    let tenant: TestTenant;
    let neighbour: TestTenant;

    before(async () => {
      [tenant, neighbour] = await Promise.all([provisionTenant('del'), provisionTenant('keep')]);
    });

    it('needs the slug typed as confirmation and the OWNER role', async () => {
      expectError(await execute(DeleteTenantDocument, { confirmSlug: 'wrong' }, { token: tenant.token }), 'BAD_USER_INPUT');
      const manager = await addMember(tenant, Role.MANAGER);
      expectError(await execute(DeleteTenantDocument, { confirmSlug: tenant.slug }, { token: manager.token }), 'FORBIDDEN');
    });

    it('makes the tenant vanish from every query at once, and leaves its neighbours alone', async () => {
      // The neighbour's owner is also a member here: the deleted tenant must vanish from their list.
      await adminQuery(`insert into memberships (tenant_id, id, user_id, role) values ($1, gen_random_uuid(), $2, 'VIEWER')`, [
        tenant.id,
        neighbour.ownerId,
      ]);
      expect(ok(await execute(DeleteTenantDocument, { confirmSlug: tenant.slug }, { token: tenant.token })).deleteTenant).to.equal(true);
      expectError(await execute(CurrentTenantDocument, {}, { token: tenant.token }), 'TENANT_NOT_FOUND');
      const memberships = ok(await execute(MyMembershipsDocument, {}, { token: neighbour.token })).myMemberships!;
      expect(memberships.map((m) => m.tenant?.id)).to.deep.equal([neighbour.id]);
      const listed = ok(await execute(TenantsDocument, { first: 100 }, { token: ops })).tenants!.edges.map((e) => e.node.id);
      expect(listed).not.to.include(tenant.id);
      expect(ok(await execute(CurrentTenantDocument, {}, { token: neighbour.token })).currentTenant?.id).to.equal(neighbour.id);
    });
  });

  describe('purge after the retention period', () => {
    let instantPurge: ExtraServer;

    before(async () => {
      instantPurge = await startExtraServer({ TENANT_RETENTION_DAYS: '0', REDIS_URL: testEnv().redisUrl });
      // The database's own retention (owner-only) is the authority the purge function checks.
      await adminQuery(`update tessera_settings set tenant_retention = interval '0'`);
    });

    after(async () => {
      await adminQuery(`update tessera_settings set tenant_retention = interval '30 days'`);
      await instantPurge.stop();
    });

    it('removes every row of the tenant, its append-only audit log included, and nothing of others', async () => {
      const [doomed, other] = await Promise.all([provisionTenant('purge'), provisionTenant('other')]);
      await addMember(doomed, Role.MEMBER);
      const otherRowsBefore = await storedRowCount(other.id);
      const response = await fetch(instantPurge.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${doomed.token}` },
        body: JSON.stringify({ query: print(DeleteTenantDocument), variables: { confirmSlug: doomed.slug } }),
      });
      expect(((await response.json()) as any).data.deleteTenant).to.equal(true);
      const purged = await waitUntil(
        () => adminOne<{ purged_at: Date | null }>('select purged_at from tenants where id = $1', [doomed.id]),
        (row) => row.purged_at !== null,
      );
      expect(purged.purged_at).to.be.instanceOf(Date);
      expect(await storedRowCount(doomed.id)).to.equal(0);
      expect(await storedRowCount(other.id)).to.equal(otherRowsBefore);
      // Counts flushed after the purge are not recorded for a deleted tenant.
      await testEnv().services.get(usageMeter).flush();
      await waitUntil(
        () => adminQuery(`select 1 from graphile_worker.jobs where task_identifier = 'record-usage'`),
        (rows) => rows.length === 0,
      );
      expect(await rowCount(doomed.id, METERING_TABLES)).to.equal(0);
      expectError(await execute(RestoreTenantDocument, { tenantId: doomed.id }, { token: ops }), 'NOT_FOUND');
    });
  });

  describe('export', () => {
    it('produces, through a job, an NDJSON archive of all the tenant rows and none of another tenant', async () => {
      const [tenant, other] = await Promise.all([provisionTenant('exp'), provisionTenant('exp-other')]);
      await addMember(tenant, Role.VIEWER);
      await addMember(other, Role.VIEWER);
      const requested = ok(await execute(RequestTenantExportDocument, {}, { token: tenant.token })).requestTenantExport;
      expect(requested.status).to.equal('PENDING');
      const finished = await waitUntil(
        async () => ok(await execute(TenantExportDocument, { id: requested.id }, { token: tenant.token })).tenantExport!,
        (value) => value.status === 'COMPLETED',
      );
      const lines = finished.archive!.split('\n').map((line) => JSON.parse(line) as { table: string; row: { tenant_id: string } });
      expect(lines.every((line) => line.row.tenant_id === tenant.id)).to.equal(true);
      expect(finished.rowCount).to.equal(lines.length);
      expect(lines.filter((line) => !METERING_TABLES.includes(line.table)).length).to.equal(await storedRowCount(tenant.id));
      expect(new Set(lines.map((line) => line.table))).to.include.keys('memberships', 'audit_events');
      expect(ok(await execute(TenantExportDocument, { id: requested.id }, { token: other.token })).tenantExport).to.equal(null);
    });

    it('ends FAILED with the reason when every attempt of its job fails', async function () {
      this.timeout(90_000); // the queue retries with backoff (about 10 s for three attempts)
      const tenant = await provisionTenant('exp-fail');
      // A tenant table the app role may see but not read in full: every export attempt fails on it.
      await adminQuery(`create table export_breaker (tenant_id uuid, secret text)`);
      await adminQuery(`grant select (tenant_id) on export_breaker to tessera_app`);
      try {
        const requested = ok(await execute(RequestTenantExportDocument, {}, { token: tenant.token })).requestTenantExport;
        const failed = await waitUntil(
          async () => ok(await execute(TenantExportDocument, { id: requested.id }, { token: tenant.token })).tenantExport!,
          (value) => value.status !== 'PENDING',
          60_000,
        );
        expect(failed.status).to.equal('FAILED');
        expect(failed.failureReason).to.match(/permission denied for table export_breaker/);
        expect(failed.archive).to.equal(null);
        expect(failed.completedAt).to.be.a('string');
      } finally {
        await adminQuery(`drop table export_breaker`);
      }
    });
  });
});
