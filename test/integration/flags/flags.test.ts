import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import { rolloutBucket } from '../../../src/modules/flags/flag-resolution.js';
import {
  ClearFeatureFlagDocument,
  FeatureFlagsDocument,
  SetFeatureFlagDocument,
  SetGlobalFeatureFlagDocument,
} from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { execute, expectError, ok } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { itemAt } from '../../support/lists.js';
import { adminOne, adminQuery } from '../../support/sql.js';

type FlagKey = 'newDashboard' | 'aiTaskSummaries' | 'bulkTaskEdit';
type ResolvedFlag = { enabled: boolean; source: string; rolloutPercent?: number | null };

async function flagsOf(tenant: TestTenant | { token: string }): Promise<Record<FlagKey, ResolvedFlag>> {
  const flags = ok(await execute(FeatureFlagsDocument, {}, { token: tenant.token })).featureFlags;
  return Object.fromEntries(
    flags.map((flag) => [flag.key, { enabled: flag.enabled, source: flag.source, rolloutPercent: flag.rolloutPercent }]),
  ) as Record<FlagKey, ResolvedFlag>;
}

async function operatorToken(): Promise<string> {
  const operator = await adminOne<{ id: string }>(
    `insert into users (id, email, name, password_hash, is_platform_admin)
     values (gen_random_uuid(), 'ops-' || gen_random_uuid() || '@tessera.example.com', 'Ops', 'x', true) returning id`,
  );
  return testEnv().services.tokens.sign({ sub: operator.id });
}

describe('feature flags', function () {
  this.timeout(30_000);
  let free: TestTenant;
  let enterprise: TestTenant;
  let ops: string;

  before(async () => {
    [free, enterprise, ops] = await Promise.all([provisionTenant('ffree', 'FREE'), provisionTenant('fent', 'ENTERPRISE'), operatorToken()]);
  });

  describe('resolution: global default → plan default → tenant override', () => {
    it('answers the global default when no plan default or override applies (source GLOBAL)', async () => {
      expect((await flagsOf(free)).newDashboard).to.deep.equal({ enabled: false, source: 'GLOBAL', rolloutPercent: null });
      expect((await flagsOf(free)).aiTaskSummaries).to.deep.equal({ enabled: false, source: 'GLOBAL', rolloutPercent: null });
    });

    it('answers the plan default over the global one (source PLAN)', async () => {
      expect((await flagsOf(enterprise)).aiTaskSummaries).to.deep.equal({ enabled: true, source: 'PLAN', rolloutPercent: null });
      expect((await flagsOf(free)).bulkTaskEdit).to.deep.equal({ enabled: false, source: 'PLAN', rolloutPercent: null });
      expect((await flagsOf(enterprise)).bulkTaskEdit).to.deep.equal({ enabled: true, source: 'GLOBAL', rolloutPercent: null });
    });

    it('answers the tenant override over both (source TENANT) until it is cleared, for that tenant only', async () => {
      const set = ok(await execute(SetFeatureFlagDocument, { key: 'bulkTaskEdit', enabled: true }, { token: free.token })).setFeatureFlag;
      expect(set).to.deep.equal({ key: 'bulkTaskEdit', enabled: true, source: 'TENANT', rolloutPercent: null });
      expect((await flagsOf(free)).bulkTaskEdit).to.deep.equal({ enabled: true, source: 'TENANT', rolloutPercent: null });
      expect((await flagsOf(enterprise)).bulkTaskEdit.source).to.equal('GLOBAL');

      const cleared = ok(await execute(ClearFeatureFlagDocument, { key: 'bulkTaskEdit' }, { token: free.token })).clearFeatureFlag;
      expect(cleared).to.deep.include({ enabled: false, source: 'PLAN' });
      expect((await flagsOf(free)).bulkTaskEdit.source).to.equal('PLAN');
    });

    it('a platform operator changes a global default through the audited platform path; every tenant sees it at once', async () => {
      const set = ok(
        await execute(SetGlobalFeatureFlagDocument, { key: 'newDashboard', enabled: true }, { token: ops }),
      ).setGlobalFeatureFlag;
      expect(set).to.deep.equal({ key: 'newDashboard', enabled: true, source: 'GLOBAL', rolloutPercent: null });
      try {
        expect((await flagsOf(free)).newDashboard).to.deep.equal({ enabled: true, source: 'GLOBAL', rolloutPercent: null });
        const audit = await adminOne<{ data: any }>(
          `select data from platform_audit_events where action = 'flag.set_global' order by created_at desc limit 1`,
        );
        expect(audit.data).to.deep.equal({ key: 'newDashboard', enabled: true, rolloutPercent: null });
      } finally {
        ok(await execute(SetGlobalFeatureFlagDocument, { key: 'newDashboard', enabled: false }, { token: ops }));
      }
      expect((await flagsOf(free)).newDashboard.enabled).to.equal(false);
    });
  });

  describe('percentage rollout', () => {
    it('turns a flag on for exactly the tenants whose stable (key, tenant) bucket is under the percentage, on every request', async () => {
      for (const tenant of [free, enterprise]) {
        ok(await execute(SetFeatureFlagDocument, { key: 'newDashboard', enabled: true, rolloutPercent: 50 }, { token: tenant.token }));
        const expected = rolloutBucket('newDashboard', tenant.id) < 50;
        for (let i = 0; i < 3; i++)
          expect((await flagsOf(tenant)).newDashboard).to.deep.equal({ enabled: expected, source: 'TENANT', rolloutPercent: 50 });
        ok(await execute(SetFeatureFlagDocument, { key: 'newDashboard', enabled: true, rolloutPercent: 0 }, { token: tenant.token }));
        expect((await flagsOf(tenant)).newDashboard.enabled).to.equal(false);
        ok(await execute(SetFeatureFlagDocument, { key: 'newDashboard', enabled: true, rolloutPercent: 100 }, { token: tenant.token }));
        expect((await flagsOf(tenant)).newDashboard.enabled).to.equal(true);
        ok(await execute(ClearFeatureFlagDocument, { key: 'newDashboard' }, { token: tenant.token }));
      }
    });
  });

  describe('validation, roles and audit', () => {
    for (const [variables, field] of [
      [{ key: 'noSuchFlag', enabled: true }, 'key'],
      [{ key: 'newDashboard', enabled: true, rolloutPercent: 101 }, 'rolloutPercent'],
      [{ key: 'newDashboard', enabled: true, rolloutPercent: -1 }, 'rolloutPercent'],
    ] as const) {
      it(`refuses ${JSON.stringify(variables)} with BAD_USER_INPUT on ${field}, writing nothing`, async () => {
        const error = expectError(await execute(SetFeatureFlagDocument, variables, { token: free.token }), 'BAD_USER_INPUT');
        expect((error.extensions!.fieldErrors as { field: string }[]).map((e) => e.field)).to.deep.equal([field]);
        expectError(await execute(SetGlobalFeatureFlagDocument, variables, { token: ops }), 'BAD_USER_INPUT');
        const rows = await adminQuery(`select 1 from tenant_feature_flags where tenant_id = $1 and key = $2`, [free.id, variables.key]);
        expect(rows).to.deep.equal([]);
      });
    }

    it('featureFlags is MANAGER+; setFeatureFlag and clearFeatureFlag are OWNER only; global defaults are for operators', async () => {
      const [manager, member] = await Promise.all([addMember(enterprise, Role.MANAGER), addMember(enterprise, Role.MEMBER)]);
      expect((await flagsOf(manager)).aiTaskSummaries.source).to.equal('PLAN');
      expectError(await execute(FeatureFlagsDocument, {}, { token: member.token }), 'FORBIDDEN');
      expectError(await execute(SetFeatureFlagDocument, { key: 'newDashboard', enabled: true }, { token: manager.token }), 'FORBIDDEN');
      expectError(await execute(ClearFeatureFlagDocument, { key: 'newDashboard' }, { token: manager.token }), 'FORBIDDEN');
      expectError(
        await execute(SetGlobalFeatureFlagDocument, { key: 'newDashboard', enabled: true }, { token: enterprise.token }),
        'FORBIDDEN',
      );
    });

    it('every change writes an audit event with the actor and the previous value', async () => {
      ok(await execute(SetFeatureFlagDocument, { key: 'aiTaskSummaries', enabled: false }, { token: enterprise.token }));
      ok(await execute(SetFeatureFlagDocument, { key: 'aiTaskSummaries', enabled: true, rolloutPercent: 10 }, { token: enterprise.token }));
      ok(await execute(ClearFeatureFlagDocument, { key: 'aiTaskSummaries' }, { token: enterprise.token }));
      const events = await adminQuery<{ action: string; actor_user_id: string; data: any }>(
        `select action, actor_user_id, data from audit_events where tenant_id = $1 and target_id = 'aiTaskSummaries' order by created_at`,
        [enterprise.id],
      );
      expect(events.map((event) => event.action)).to.deep.equal(['flag.set', 'flag.set', 'flag.cleared']);
      expect(events.every((event) => event.actor_user_id === enterprise.ownerId)).to.equal(true);
      expect(itemAt(events, 1).data).to.deep.equal({
        key: 'aiTaskSummaries',
        enabled: true,
        rolloutPercent: 10,
        previous: { enabled: false, rolloutPercent: null },
      });
    });

    it("a tenant's override never reaches another tenant's rows (RLS and filter)", async () => {
      ok(await execute(SetFeatureFlagDocument, { key: 'newDashboard', enabled: true }, { token: free.token }));
      const rows = await adminQuery<{ tenant_id: string }>(`select tenant_id from tenant_feature_flags where key = 'newDashboard'`);
      expect(rows.map((row) => row.tenant_id))
        .to.include(free.id)
        .and.not.include(enterprise.id);
      expect((await flagsOf(enterprise)).newDashboard.source).to.equal('GLOBAL');
      ok(await execute(ClearFeatureFlagDocument, { key: 'newDashboard' }, { token: free.token }));
    });
  });
});
