import { expect } from 'chai';
import { LoginDocument, MeDocument, MyMembershipsDocument, SwitchTenantDocument } from '../generated/graphql.js';
import { execute, expectError, ok } from '../support/client.js';
import { provisionTenant, TEST_PASSWORD, type TestTenant } from '../support/fixtures.js';
import { adminQuery } from '../support/sql.js';

describe('login, switchTenant, me, myMemberships', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let stranger: TestTenant;

  before(async () => {
    [acme, globex, stranger] = await Promise.all([provisionTenant('acme'), provisionTenant('globex'), provisionTenant('stranger')]);
    // acme's owner is also a VIEWER in globex.
    await adminQuery(`insert into memberships (tenant_id, id, user_id, role) values ($1, gen_random_uuid(), $2, 'VIEWER')`, [
      globex.id,
      acme.ownerId,
    ]);
  });

  it('signs in to a named tenant, or to the oldest membership by default', async () => {
    const named = ok(await execute(LoginDocument, { input: { email: acme.ownerEmail, password: TEST_PASSWORD, tenantSlug: globex.slug } }));
    expect(named.login.tenant?.id).to.equal(globex.id);
    const byDefault = ok(await execute(LoginDocument, { input: { email: acme.ownerEmail.toUpperCase(), password: TEST_PASSWORD } }));
    expect(byDefault.login.tenant?.id).to.equal(acme.id);
    expect(byDefault.login.user.id).to.equal(acme.ownerId);
  });

  it('gives the same answer for a wrong password, an unknown e-mail and a tenant the user is not in', async () => {
    const attempts = [
      { email: acme.ownerEmail, password: 'wrong-password' },
      { email: 'nobody@nowhere.example.com', password: TEST_PASSWORD },
      { email: acme.ownerEmail, password: TEST_PASSWORD, tenantSlug: stranger.slug },
      { email: acme.ownerEmail, password: TEST_PASSWORD, tenantSlug: 'no-such-tenant' },
    ];
    const messages = new Set<string>();
    for (const input of attempts) messages.add(expectError(await execute(LoginDocument, { input }), 'UNAUTHENTICATED').message);
    expect(messages.size).to.equal(1);
  });

  it('lists every membership of the user, each with its own role', async () => {
    const data = ok(await execute(MyMembershipsDocument, {}, { token: acme.token }));
    const byTenant = Object.fromEntries(data.myMemberships!.map((m) => [m.tenant!.id, m.role]));
    expect(byTenant).to.deep.equal({ [acme.id]: 'OWNER', [globex.id]: 'VIEWER' });
  });

  it('switches to another tenant of the user, and refuses one the user is not in like a missing one', async () => {
    const switched = ok(await execute(SwitchTenantDocument, { tenantId: globex.id }, { token: acme.token })).switchTenant;
    expect(switched.tenant?.id).to.equal(globex.id);
    const me = ok(await execute(MeDocument, {}, { token: switched.token }));
    expect(me.currentTenant?.id).to.equal(globex.id);

    const foreign = expectError(await execute(SwitchTenantDocument, { tenantId: stranger.id }, { token: acme.token }), 'TENANT_NOT_FOUND');
    const missing = expectError(
      await execute(SwitchTenantDocument, { tenantId: '00000000-0000-4000-8000-000000000000' }, { token: acme.token }),
      'TENANT_NOT_FOUND',
    );
    expect(foreign.message).to.equal(missing.message);
    expectError(await execute(SwitchTenantDocument, { tenantId: 'not-a-uuid' }, { token: acme.token }), 'TENANT_NOT_FOUND');
  });

  it('requires authentication for me, myMemberships and switchTenant', async () => {
    expectError(await execute(MyMembershipsDocument, {}), 'UNAUTHENTICATED');
    expectError(await execute(SwitchTenantDocument, { tenantId: acme.id }), 'UNAUTHENTICATED');
    const me = await execute(MeDocument, {});
    expect(me.data).to.deep.equal({ me: null, currentTenant: null });
  });
});
