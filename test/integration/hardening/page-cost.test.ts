import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import { request } from '../../support/client.js';
import { addMember, provisionTenant, type TestMember } from '../../support/fixtures.js';
import { wsClient, wsQuery } from '../../support/ws.js';

const nested = (alias: string) =>
  `${alias}: projects(first: 100) { edges { node { tasks(first: 100) { edges { node { project { tasks(first: 100) { edges { node { id } } } } } } } } } }`;

describe('hardening: cost scales with page sizes (issue 13, item 4)', () => {
  let viewer: TestMember;

  before(async () => {
    const tenant = await provisionTenant('cost');
    viewer = await addMember(tenant, Role.VIEWER);
  });

  it("refuses a VIEWER's 15 aliased projects(100) > tasks(100) > project > tasks(100) before execution", async () => {
    const query = `{ ${Array.from({ length: 15 }, (_, index) => nested(`p${index}`)).join(' ')} }`;
    const response = await request(query, {}, { token: viewer.token });
    expect(response.status).to.equal(400);
    expect(response.data).to.equal(undefined);
    expect(response.errors?.map((error) => error.extensions?.code)).to.deep.equal(['BAD_USER_INPUT']);
  });

  it('multiplies by first/last: projects(100) > tasks(100) > tasks(100) is QUERY_TOO_COMPLEX, small pages pass', async () => {
    // Shallow enough for graphql-armor's field count (which ignores page sizes), refused by the page-size cost.
    const response = await request(
      'query ($n: Int = 100) { projects(first: $n) { edges { node { tasks(first: $n) { edges { node { project { tasks(first: $n) { edges { node { id } } } } } } } } } } }',
      {},
      { token: viewer.token },
    );
    expect(response.status).to.equal(400);
    expect(response.errors?.[0]?.extensions).to.include({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' });
    expect(response.errors?.[0]?.extensions?.cost).to.be.greaterThan(1_000_000);
    expect(response.data).to.equal(undefined);

    const small = await request(
      'query ($n: Int) { projects(first: $n) { edges { node { tasks(first: $n) { edges { node { project { tasks(first: $n) { edges { node { id } } } } } } } } } } }',
      { n: 5 },
      { token: viewer.token },
    );
    expect(small.errors, JSON.stringify(small.errors)).to.equal(undefined);
  });

  it('counts a page size given by a variable, and caps repeated selections of one paginated field', async () => {
    const byVariable = await request(
      'query ($n: Int) { projects(first: $n) { edges { node { tasks(first: $n) { edges { node { project { tasks(first: $n) { edges { node { id } } } } } } } } } } }',
      { n: 100 },
      { token: viewer.token },
    );
    expect(byVariable.errors?.[0]?.extensions).to.include({ reason: 'QUERY_TOO_COMPLEX' });
    const repeated = await request(
      `{ ${Array.from({ length: 6 }, (_, index) => `p${index}: projects(first: 1) { totalCount }`).join(' ')} }`,
      {},
      { token: viewer.token },
    );
    expect(repeated.errors?.[0]?.extensions).to.include({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', field: 'Query.projects' });
  });

  it('remembers only costs that passed: the same document with a larger page size is still refused', async () => {
    const document =
      'query Remembered($n: Int) { projects(first: $n) { edges { node { tasks(first: $n) { edges { node { project { tasks(first: $n) { edges { node { id } } } } } } } } } } }';
    const sizes = [5, 5, 100, 5, null, 100];
    const reasons: unknown[] = [];
    for (const n of sizes) {
      const response = await request(document, { n }, { token: viewer.token });
      reasons.push(response.errors?.[0]?.extensions?.reason ?? 'ok');
    }
    expect(reasons).to.deep.equal(['ok', 'ok', 'QUERY_TOO_COMPLEX', 'ok', 'QUERY_TOO_COMPLEX', 'QUERY_TOO_COMPLEX']);
  });

  it('applies the same limit over graphql-ws', async () => {
    const client = wsClient(viewer.token);
    try {
      const refused = await wsQuery(
        client,
        'query ($n: Int) { projects(first: $n) { edges { node { tasks(first: $n) { edges { node { project { tasks(first: $n) { edges { node { id } } } } } } } } } } }',
        { n: 100 },
      );
      expect((refused.errors as { extensions?: { reason?: string } }[])[0]?.extensions?.reason).to.equal('QUERY_TOO_COMPLEX');
    } finally {
      await client.dispose();
    }
  });
});
