import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import { TENANT_FILTER, TenantContextMissingError } from '../../../src/engine/tenancy/tenant-filter.js';
import { inTenantTransaction } from '../../../src/engine/tenancy/tenant-session.js';
import { Role } from '../../../src/engine/identity/roles.js';
import { Membership } from '../../../src/engine/identity/membership.entity.js';
import { User } from '../../../src/engine/identity/user.entity.js';
import { testEnv } from '../../setup/environment.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminOne } from '../../support/sql.js';

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('isolation: the always-on ORM tenant filter', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let globexMembershipId: string;
  const root = (): EntityManager => testEnv().services.orm.em;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('acme'), provisionTenant('globex')]);
    await addMember(globex, Role.MEMBER);
    // The owner's membership: the tenant has two, and the checks below expect its role to stay OWNER.
    ({ id: globexMembershipId } = await adminOne<{ id: string }>('select id from memberships where tenant_id = $1 and user_id = $2', [
      globex.id,
      globex.ownerId,
    ]));
  });

  it('throws instead of returning every tenant when no tenant is set', async () => {
    const em = root().fork();
    expect(await rejection(em.find(Membership, {}))).to.be.instanceOf(TenantContextMissingError);
    expect(await rejection(em.count(Membership, {}))).to.be.instanceOf(TenantContextMissingError);
    expect(await rejection(em.nativeDelete(Membership, {}))).to.be.instanceOf(TenantContextMissingError);
  });

  it('throws for an undefined tenant parameter rather than matching tenant_id IS NULL', async () => {
    const em = root().fork();
    em.setFilterParams(TENANT_FILTER, { tenantId: undefined });
    expect(await rejection(em.find(Membership, {}))).to.be.instanceOf(TenantContextMissingError);
  });

  it('leaves global tables alone', async () => {
    const users = await root()
      .fork()
      .find(User, { id: [acme.ownerId, globex.ownerId] });
    expect(users).to.have.length(2);
  });

  it('scopes find, findOne, count and populate to the tenant', async () => {
    await inTenantTransaction(root(), acme.id, async (em) => {
      const memberships = await em.find(Membership, {}, { populate: ['user'] });
      expect(memberships.map((m) => m.tenantId)).to.deep.equal([acme.id]);
      expect(memberships.map((m) => m.user.email)).to.deep.equal([acme.ownerEmail]);
      expect(await em.findOne(Membership, { id: globexMembershipId })).to.equal(null);
      expect(await em.count(Membership, { id: globexMembershipId })).to.equal(0);
    });
  });

  it('native update and delete cannot reach another tenant row', async () => {
    const changed = await inTenantTransaction(root(), acme.id, async (em) => ({
      updated: await em.nativeUpdate(Membership, { id: globexMembershipId }, { role: Role.VIEWER }),
      deleted: await em.nativeDelete(Membership, { id: globexMembershipId }),
    }));
    expect(changed).to.deep.equal({ updated: 0, deleted: 0 });
    const row = await adminOne<{ role: string }>('select role from memberships where id = $1', [globexMembershipId]);
    expect(row.role).to.equal('OWNER');
  });

  it('a QueryBuilder that skips applyFilters is still held by RLS, and applyFilters adds the tenant condition', async () => {
    await inTenantTransaction(root(), acme.id, async (em) => {
      const unfiltered = await em.createQueryBuilder(Membership).select('*').execute<{ tenantId: string }[]>();
      expect(unfiltered.map((row) => row.tenantId)).to.deep.equal([acme.id]);
      const qb = em.createQueryBuilder(Membership).select('*');
      await qb.applyFilters();
      expect(qb.getFormattedQuery()).to.contain(acme.id);
    });
  });

  it('the filter and RLS are independent layers: a filter for one tenant inside a transaction of another sees nothing', async () => {
    const em = root().fork();
    em.setFilterParams(TENANT_FILTER, { tenantId: acme.id });
    await em.begin({ sessionContext: { variables: { 'app.tenant_id': globex.id } } });
    try {
      expect(await em.find(Membership, {})).to.deep.equal([]);
      const raw = await em.execute<{ tenant_id: string }[]>('select tenant_id from memberships');
      expect(raw.every((row) => row.tenant_id === globex.id)).to.equal(true);
    } finally {
      await em.rollback();
    }
  });

  it('outside a tenant transaction the filter alone is not enough to read: RLS fails closed', async () => {
    const em = root().fork();
    em.setFilterParams(TENANT_FILTER, { tenantId: acme.id });
    expect(await em.find(Membership, {})).to.deep.equal([]);
  });

  it('stamps new rows with the context tenant and refuses a row claiming another tenant', async () => {
    const error = await rejection(
      inTenantTransaction(root(), acme.id, async (em) => {
        em.create(Membership, { tenantId: globex.id, user: em.getReference(User, acme.ownerId), role: Role.VIEWER });
        await em.flush();
      }),
    );
    expect(error).to.be.instanceOf(TenantContextMissingError);
    const { count } = await adminOne<{ count: number }>('select count(*)::int from memberships where tenant_id = $1 and user_id = $2', [
      globex.id,
      acme.ownerId,
    ]);
    expect(count).to.equal(0);
  });
});
