import { expect } from 'chai';
import { API_VERSION } from '../../src/modules/health/health.resolver.js';
import { testEnv } from '../setup/environment.js';
import { request } from '../support/client.js';
import { provisionTenant } from '../support/fixtures.js';
import { wsClient, wsQuery } from '../support/ws.js';

describe('gateway', () => {
  it('answers { __typename } over HTTP', async () => {
    const response = await request('{ __typename }');
    expect(response.status).to.equal(200);
    expect(response.data).to.deep.equal({ __typename: 'Query' });
  });

  it('reports liveness and readiness of PostgreSQL and Redis', async () => {
    const base = new URL('/', testEnv().server.url);
    const live = await fetch(new URL('/healthz', base));
    expect(live.status).to.equal(200);
    const ready = await fetch(new URL('/readyz', base));
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('serves graphql-ws on the same path', async () => {
    const client = wsClient();
    try {
      expect(await wsQuery(client, '{ apiVersion }')).to.deep.equal({ data: { apiVersion: API_VERSION } });
    } finally {
      await client.dispose();
    }
  });

  it('runs tenant queries over graphql-ws in the same RLS transaction as HTTP', async () => {
    const tenant = await provisionTenant('ws');
    const client = wsClient(tenant.token);
    try {
      const result = await wsQuery(client, '{ me { id } currentTenant { id } myMemberships { role } }');
      expect(result).to.deep.equal({
        data: { me: { id: tenant.ownerId }, currentTenant: { id: tenant.id }, myMemberships: [{ role: 'OWNER' }] },
      });
    } finally {
      await client.dispose();
    }
    // A bad token is refused in connection_init: the socket closes with 4401 before any operation runs.
    const forged = wsClient('forged.token.value');
    try {
      const refused = await wsQuery(forged, '{ me { id } }').then(
        () => null,
        (event: { code?: number }) => event.code,
      );
      expect(refused).to.equal(4401);
    } finally {
      await forged.dispose();
    }
    const mismatched = wsClient(tenant.token, { 'x-tenant-slug': 'someone-else' });
    try {
      const mismatch = await wsQuery(mismatched, '{ me { id } }');
      expect(mismatch.errors?.map((error: any) => error.extensions.code)).to.deep.equal(['TENANT_MISMATCH']);
    } finally {
      await mismatched.dispose();
    }
  });

  it('answers malformed requests with BAD_USER_INPUT, not a 500', async () => {
    const unknownField = await request('{ nope }');
    expect(unknownField.status).to.equal(400);
    expect(unknownField.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    const syntax = await request('{ apiVersion');
    expect(syntax.status).to.equal(400);
    expect(syntax.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    const badJson = await fetch(testEnv().server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(badJson.status).to.equal(400);
  });

  it('refuses bodies over the size limit without falling over', async () => {
    const response = await fetch(testEnv().server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ apiVersion } # ${'x'.repeat(2 * 1024 * 1024)}` }),
    });
    expect(response.status).to.equal(413);
  });
});

describe('SQL statement count header', () => {
  it('reports the statements a request sent (outside production)', async () => {
    const url = testEnv().server.url;
    const anonymous = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ apiVersion }' }),
    });
    expect(anonymous.headers.get('x-sql-statements')).to.equal('0');
  });
});

describe('query limits', () => {
  const refused = async (query: string) => {
    const response = await request(query);
    expect(response.status, JSON.stringify(response)).to.equal(400);
    expect(response.errors?.[0]?.extensions?.code).to.equal('BAD_USER_INPUT');
    expect(response.data ?? null).to.equal(null);
  };

  it('refuses documents past the alias and token limits with BAD_USER_INPUT', async () => {
    await refused(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: apiVersion`).join(' ')} }`);
    await refused(`{ ${Array.from({ length: 2_100 }, () => '__typename').join(' ')} }`);
  });

  it('refuses batched HTTP requests', async () => {
    const response = await fetch(testEnv().server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ apiVersion }' }, { query: '{ apiVersion }' }]),
    });
    expect(response.status).to.equal(400);
  });
});

describe('operations', () => {
  it('exposes Prometheus metrics including request durations by operation', async () => {
    await request('query Probe { apiVersion }');
    const response = await fetch(new URL('/metrics', testEnv().server.url));
    expect(response.status).to.equal(200);
    const text = await response.text();
    expect(text).to.match(/tessera_graphql_request_duration_seconds_count\{operation="Probe",outcome="ok"\} [1-9]/);
    expect(text).to.contain('tessera_process_cpu_seconds_total');
    // This file provisioned a tenant above: sign-ups, the worker's jobs and tenant lookups are counted.
    expect(text).to.match(/^tessera_provisioning_started_total [1-9]/m);
    expect(text).to.match(/^tessera_jobs_total\{task="provision-tenant",outcome="success"\} [1-9]/m);
    expect(text).to.match(/^tessera_tenant_cache_lookups_total\{result="hit"\} [1-9]/m);
  });
});
