import { expect } from 'chai';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { API_VERSION } from '../../src/modules/health/health.resolver.js';
import { testEnv } from '../setup/environment.js';
import { request } from '../support/client.js';

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
    const client = createClient({ url: testEnv().server.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: '{ apiVersion }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
      expect(result).to.deep.equal({ data: { apiVersion: API_VERSION } });
    } finally {
      await client.dispose();
    }
  });

  it('answers malformed requests with BAD_USER_INPUT, not a 500', async () => {
    const unknownField = await request('{ nope }');
    expect(unknownField.status).to.equal(400);
    expect(unknownField.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    const syntax = await request('{ apiVersion');
    expect(syntax.status).to.equal(400);
    expect(syntax.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
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
