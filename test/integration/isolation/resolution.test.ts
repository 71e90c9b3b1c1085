import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { CurrentTenantDocument } from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { execute, expectError, ok } from '../../support/client.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';

/** fetch() may not set Host; node:http can, as a browser on a tenant subdomain would. */
function postWithHost(host: string, token: string): Promise<{ status: number; body: any }> {
  const url = new URL(testEnv().server.url);
  const payload = JSON.stringify({ query: '{ currentTenant { id slug } }' });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { host, 'content-type': 'application/json', authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('isolation: tenant resolution', () => {
  let acme: TestTenant;
  let globex: TestTenant;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('acme'), provisionTenant('globex')]);
  });

  it('agreeing sources are fine: token + X-Tenant-ID + X-Tenant-Slug + path + subdomain', async () => {
    const data = ok(
      await execute(
        CurrentTenantDocument,
        {},
        {
          token: acme.token,
          headers: { 'x-tenant-id': acme.id, 'x-tenant-slug': acme.slug },
          path: `/t/${acme.slug}/graphql`,
        },
      ),
    );
    expect(data.currentTenant).to.deep.equal({ id: acme.id, slug: acme.slug });
    const bySubdomain = await postWithHost(`${acme.slug}.tessera.test`, acme.token);
    expect(bySubdomain.body.data.currentTenant).to.deep.equal({ id: acme.id, slug: acme.slug });
  });

  const disagreements: [string, () => { headers?: Record<string, string>; path?: string }][] = [
    ['X-Tenant-ID', () => ({ headers: { 'x-tenant-id': globex.id } })],
    ['X-Tenant-Slug', () => ({ headers: { 'x-tenant-slug': globex.slug } })],
    ['the path prefix', () => ({ path: `/t/${globex.slug}/graphql` })],
    ['an unknown slug', () => ({ headers: { 'x-tenant-slug': 'no-such-tenant-anywhere' } })],
    ['a malformed X-Tenant-ID', () => ({ headers: { 'x-tenant-id': "1' or '1'='1" } })],
    ['headers that disagree with each other', () => ({ headers: { 'x-tenant-id': acme.id, 'x-tenant-slug': globex.slug } })],
  ];
  for (const [name, options] of disagreements) {
    it(`refuses a token for one tenant with ${name} naming another (TENANT_MISMATCH)`, async () => {
      const response = await execute(CurrentTenantDocument, {}, { token: acme.token, ...options() });
      expectError(response, 'TENANT_MISMATCH');
      expect(response.data ?? null).to.equal(null);
    });
  }

  it('refuses a subdomain that disagrees with the token', async () => {
    const response = await postWithHost(`${globex.slug}.tessera.test`, acme.token);
    expect(response.body.errors.map((e: any) => e.extensions.code)).to.deep.equal(['TENANT_MISMATCH']);
  });

  it('answers TENANT_REQUIRED for a tenant operation without a tenant', async () => {
    const token = testEnv().services.tokens.sign({ sub: acme.ownerId });
    const response = await execute(CurrentTenantDocument, {}, { token });
    expectError(response, 'TENANT_REQUIRED');
  });

  it('answers the same TENANT_NOT_FOUND for a tenant that never existed and for a malformed one', async () => {
    const unknown = await execute(CurrentTenantDocument, {}, { headers: { 'x-tenant-slug': 'never-existed-here' } });
    const malformed = await execute(CurrentTenantDocument, {}, { headers: { 'x-tenant-id': 'nope' } });
    expect(expectError(unknown, 'TENANT_NOT_FOUND').message).to.equal(expectError(malformed, 'TENANT_NOT_FOUND').message);
  });

  it('does not let an anonymous caller into a tenant by naming it', async () => {
    const response = await execute(CurrentTenantDocument, {}, { headers: { 'x-tenant-slug': acme.slug } });
    expectError(response, 'UNAUTHENTICATED');
  });
});
