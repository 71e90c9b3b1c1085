import { expect } from 'chai';
import { LoginDocument, MeDocument, ProvisionTenantDocument } from '../generated/graphql.js';
import { execute, expectError, ok } from '../support/client.js';
import { provisionTenant, TEST_PASSWORD, uniqueSlug, waitForProvisioning } from '../support/fixtures.js';
import { adminQuery } from '../support/sql.js';

const input = (slug: string, ownerEmail = `owner@${slug}.example.com`, ownerPassword = TEST_PASSWORD) => ({
  name: `Tenant ${slug}`,
  slug,
  plan: 'PRO' as const,
  ownerEmail,
  ownerPassword,
  ownerName: 'Owner',
});

describe('provisionTenant', () => {
  it('creates the tenant, its owner and a token that works once the worker has provisioned it', async () => {
    const slug = uniqueSlug('new');
    const data = ok(await execute(ProvisionTenantDocument, { input: input(slug) })).provisionTenant;
    expect(data.tenant).to.include({ slug, status: 'PROVISIONING', plan: 'PRO' });
    expect(data.owner.email).to.equal(`owner@${slug}.example.com`);
    expect(data.provisioning.id).to.match(/^[0-9a-f-]{36}$/);
    await waitForProvisioning(data.provisioning.id, data.token, 'COMPLETED');
    const me = ok(await execute(MeDocument, {}, { token: data.token }));
    expect(me.currentTenant?.id).to.equal(data.tenant.id);
    const [membership] = await adminQuery('select role from memberships where tenant_id = $1', [data.tenant.id]);
    expect(membership).to.deep.equal({ role: 'OWNER' });
  });

  it('normalises the slug (NFKC, lower case) and refuses bad or reserved ones with BAD_USER_INPUT', async () => {
    const slug = uniqueSlug('nfkc');
    const data = ok(await execute(ProvisionTenantDocument, { input: input(slug.toUpperCase()) })).provisionTenant;
    expect(data.tenant.slug).to.equal(slug);
    for (const bad of ['ab', '-lead', 'trail-', 'dou--ble', 'www', 'admin', 'spa ce', 'ü-mlaut']) {
      const response = await execute(ProvisionTenantDocument, { input: input(bad, `x@${uniqueSlug()}.example.com`) });
      const error = expectError(response, 'BAD_USER_INPUT');
      expect(error.extensions?.fieldErrors, bad).to.deep.include.members([
        { field: 'slug', message: error.message.replace(/^slug: /, '') },
      ]);
    }
  });

  it('answers CONFLICT for a taken slug and writes nothing', async () => {
    const taken = await provisionTenant('taken');
    const email = `second@${uniqueSlug()}.example.com`;
    const response = await execute(ProvisionTenantDocument, { input: input(taken.slug, email) });
    expectError(response, 'CONFLICT');
    expect(await adminQuery('select id from users where email = $1', [email])).to.deep.equal([]);
  });

  it('lets exactly one of many concurrent sign-ups for the same slug win', async () => {
    const slug = uniqueSlug('race');
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => execute(ProvisionTenantDocument, { input: input(slug, `racer${i}@${slug}.example.com`) })),
    );
    const winners = responses.filter((response) => !response.errors);
    expect(winners).to.have.length(1);
    for (const loser of responses.filter((response) => response.errors)) expectError(loser, 'CONFLICT');
    expect(await adminQuery('select id from tenants where slug = $1', [slug])).to.have.length(1);
    expect(await adminQuery(`select id from users where email like $1`, [`racer%@${slug}.example.com`])).to.have.length(1);
  });

  it('adds a tenant to an existing account only while signed in as it; anonymously the e-mail gets a new account of its own', async () => {
    const first = await provisionTenant('first');
    // Anonymous, with any password: a new, separate account (an unverified e-mail is a claim), never the existing one.
    const claimed = ok(
      await execute(ProvisionTenantDocument, { input: input(uniqueSlug('claim'), first.ownerEmail, 'not-the-password') }),
    ).provisionTenant;
    expect(claimed.owner.email).to.equal(first.ownerEmail);
    expect(claimed.owner.id).not.to.equal(first.ownerId);
    const withRightPassword = ok(
      await execute(ProvisionTenantDocument, { input: input(uniqueSlug('claim'), first.ownerEmail) }),
    ).provisionTenant;
    expect([first.ownerId, claimed.owner.id]).not.to.include(withRightPassword.owner.id);

    const slug = uniqueSlug('second');
    const signedIn = ok(
      await execute(ProvisionTenantDocument, { input: input(slug, first.ownerEmail, 'ignored-when-signed-in') }, { token: first.token }),
    ).provisionTenant;
    expect(signedIn.owner.id).to.equal(first.ownerId);
    await waitForProvisioning(signedIn.provisioning.id, signedIn.token, 'COMPLETED');
    const login = ok(await execute(LoginDocument, { input: { email: first.ownerEmail, password: TEST_PASSWORD, tenantSlug: slug } }));
    expect(login.login.tenant?.slug).to.equal(slug);
    expect(login.login.user.id).to.equal(first.ownerId);
  });

  it('answers a retried sign-up with the first run instead of a second tenant', async () => {
    const slug = uniqueSlug('retry');
    const first = ok(await execute(ProvisionTenantDocument, { input: input(slug) })).provisionTenant;
    const again = ok(await execute(ProvisionTenantDocument, { input: input(slug.toUpperCase()) })).provisionTenant;
    expect(again.tenant.id).to.equal(first.tenant.id);
    expect(again.provisioning.id).to.equal(first.provisioning.id);
    expect(await adminQuery('select id from tenants where slug = $1', [slug])).to.have.length(1);
    // Without the password it is just a taken slug.
    const impostor = await execute(ProvisionTenantDocument, { input: input(slug, `owner@${slug}.example.com`, 'another-password') });
    expectError(impostor, 'CONFLICT');
  });

  it('answers BAD_USER_INPUT, never a 500, for text PostgreSQL cannot store (NUL characters)', async () => {
    const slug = uniqueSlug('nul');
    const response = await execute(ProvisionTenantDocument, { input: { ...input(slug), name: 'Evil\u0000Corp', ownerName: 'A\u0000B' } });
    expectError(response, 'BAD_USER_INPUT');
    expect(response.status).to.be.lessThan(500);
    expect(await adminQuery('select id from tenants where slug = $1', [slug])).to.deep.equal([]);
  });

  it('validates every field with field errors', async () => {
    const response = await execute(ProvisionTenantDocument, {
      input: { name: '', slug: uniqueSlug(), ownerEmail: 'not-an-email', ownerPassword: 'short', ownerName: '' },
    });
    const error = expectError(response, 'BAD_USER_INPUT');
    const fields = (error.extensions?.fieldErrors as { field: string }[]).map((f) => f.field);
    expect(fields).to.include.members(['name', 'ownerEmail', 'ownerPassword', 'ownerName']);
    expect(response.status).to.equal(200);
  });
});
