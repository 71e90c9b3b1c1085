import { expect } from 'chai';
import { print } from 'graphql';
import { LoginDocument, ProvisionTenantDocument } from '../generated/graphql.js';
import { startExtraServer, type ExtraServer } from '../support/extra-server.js';
import { uniqueSlug } from '../support/fixtures.js';

async function post(url: string, query: string, variables: object, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

const signUp = (url: string, headers?: Record<string, string>) => {
  const slug = uniqueSlug('rl');
  return post(
    url,
    print(ProvisionTenantDocument),
    {
      input: { name: slug, slug, ownerEmail: `o@${slug}.example.com`, ownerPassword: 'a-long-password', ownerName: 'O' },
    },
    headers,
  );
};

describe('public endpoint limits', () => {
  let limited: ExtraServer;
  let closed: ExtraServer;

  before(async () => {
    // In-process limiters (no REDIS_URL): counts of earlier runs cannot leak into this one.
    limited = await startExtraServer({ RATE_LIMIT_SIGNUPS_PER_HOUR: '2', RATE_LIMIT_LOGINS_PER_15_MIN: '3' });
    closed = await startExtraServer({ SIGNUP_ENABLED: 'false' });
  });

  after(async () => {
    await limited.stop();
    await closed.stop();
  });

  it('limits sign-ups per client address with 429 and Retry-After, whatever headers claim', async () => {
    expect((await signUp(limited.url)).body.errors).to.equal(undefined);
    expect((await signUp(limited.url)).body.errors).to.equal(undefined);
    const third = await signUp(limited.url, { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' });
    expect(third.status).to.equal(429);
    expect(Number(third.retryAfter)).to.be.greaterThan(0);
    expect(third.body.errors[0].extensions).to.include({ code: 'RATE_LIMITED' });
    expect(third.body.data).to.equal(null);
  });

  it('limits sign-in attempts per address and e-mail', async () => {
    const attempt = () => post(limited.url, print(LoginDocument), { input: { email: 'victim@example.com', password: 'guess-guess' } });
    for (let i = 0; i < 3; i++) expect((await attempt()).body.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
    const blocked = await attempt();
    expect(blocked.status).to.equal(429);
    expect(blocked.body.errors[0].extensions.code).to.equal('RATE_LIMITED');
  });

  it('refuses sign-up when closed by configuration', async () => {
    const response = await signUp(closed.url);
    expect(response.body.errors[0].extensions.code).to.equal('FORBIDDEN');
    expect(response.body.errors[0].message).to.equal('Sign-up is closed');
  });
});
