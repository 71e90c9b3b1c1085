import { expect } from 'chai';
import { serverAudits } from 'graphql-http';
import { testEnv } from '../../setup/environment.js';

/**
 * graphql-http's audit suite (the GraphQL-over-HTTP spec's MUST, SHOULD and MAY checks) against the
 * real gateway: every audit passes, so a regression in status codes, media types or GET handling
 * fails CI.
 */
describe('GraphQL over HTTP (graphql-http audits)', () => {
  // Apollo's CSRF prevention stays on: a GET must carry a header a cross-site form or <img> cannot
  // send (a browser app's GET is preflighted by CORS). The audits' GETs carry it like such an app.
  const fetchFn = (input: string | URL, init: RequestInit = {}) =>
    fetch(
      input,
      (init.method ?? 'GET') === 'GET'
        ? { ...init, headers: { ...(init.headers as Record<string, string>), 'apollo-require-preflight': 'true' } }
        : init,
    );
  const audits = serverAudits({ url: () => testEnv().server.url, fetchFn });
  for (const audit of audits) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status, 'reason' in result ? result.reason : '').to.equal('ok');
    });
  }
});

describe('GraphQL over HTTP: GET and CSRF', () => {
  const get = (params: Record<string, string>, headers: Record<string, string> = {}) => {
    const url = new URL(testEnv().server.url);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return fetch(url, { headers: { accept: 'application/graphql-response+json', ...headers } });
  };

  it('runs a query over GET with URL-encoded variables', async () => {
    const response = await get(
      { query: 'query Type($name: String!) { __type(name: $name) { name } }', variables: JSON.stringify({ name: 'Query' }) },
      { 'apollo-require-preflight': 'true' },
    );
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ data: { __type: { name: 'Query' } } });
  });

  it('refuses a mutation over GET', async () => {
    const response = await get({ query: 'mutation { __typename }' }, { 'apollo-require-preflight': 'true' });
    expect(response.status).to.equal(405);
  });

  it('refuses a GET without a preflighted header as a potential CSRF', async () => {
    const response = await get({ query: '{ __typename }' });
    expect(response.status).to.equal(400);
    expect(await response.text()).to.contain('Cross-Site Request Forgery');
  });

  it('answers request errors 200 for application/json and 400 for application/graphql-response+json', async () => {
    const post = (accept: string) =>
      fetch(testEnv().server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: '{ nope }' }),
      });
    const legacy = await post('application/json');
    expect(legacy.status).to.equal(200);
    expect(legacy.headers.get('content-type')).to.match(/^application\/json/);
    const modern = await post('application/graphql-response+json');
    expect(modern.status).to.equal(400);
    expect(modern.headers.get('content-type')).to.match(/^application\/graphql-response\+json/);
  });
});
