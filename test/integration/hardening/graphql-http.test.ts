import { expect } from 'chai';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';

/**
 * A POST to a GraphQL path skips express (engine/http/graphql-http.ts); GET and the other methods
 * go through its routes. Both must read the path's tenant, refuse a foreign one, and answer the
 * same path spellings express matched (a trailing slash, any letter case).
 */
describe('GraphQL over HTTP: the direct POST path and the express routes agree', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  const query = '{ currentTenant { slug } }';

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('http-paths-a'), provisionTenant('http-paths-b')]);
  });

  async function answer(method: 'GET' | 'POST', path: string, token: string) {
    const url = new URL(path, testEnv().server.url);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' };
    if (method === 'GET') url.searchParams.set('query', query);
    else headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body: method === 'POST' ? JSON.stringify({ query }) : undefined });
    const body = (await response.json()) as {
      data?: { currentTenant: { slug: string } | null };
      errors?: { extensions: { code: string } }[];
    };
    return body.errors ? body.errors.map((error) => error.extensions.code) : body.data?.currentTenant?.slug;
  }

  for (const method of ['GET', 'POST'] as const) {
    it(`${method}: reads the tenant of /t/<slug>/graphql and refuses another tenant's slug`, async () => {
      expect(await answer(method, `/t/${acme.slug}/graphql`, acme.token)).to.equal(acme.slug);
      expect(await answer(method, `/t/${acme.slug}/graphql/`, acme.token)).to.equal(acme.slug);
      expect(await answer(method, `/T/${acme.slug}/GraphQL`, acme.token)).to.equal(acme.slug);
      expect(await answer(method, `/t/${globex.slug}/graphql`, acme.token)).to.deep.equal(['TENANT_MISMATCH']);
      expect(await answer(method, '/graphql', acme.token)).to.equal(acme.slug);
    });
  }

  it('POST: answers malformed JSON and an oversized body as GraphQL errors with their status', async () => {
    const post = (body: string) =>
      fetch(testEnv().server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.token}` },
        body,
      });
    const malformed = await post('{"query": ');
    expect([
      malformed.status,
      ((await malformed.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ]).to.deep.equal([400, 'BAD_USER_INPUT']);
    const oversized = await post(JSON.stringify({ query, variables: { padding: 'x'.repeat(1_100_000) } }));
    expect([oversized.status, ((await oversized.json()) as { errors: { message: string }[] }).errors[0]?.message]).to.deep.equal([
      413,
      'Request body too large',
    ]);
  });
});
