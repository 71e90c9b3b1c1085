import { expect } from 'chai';
import { loadConfig } from '../../../src/engine/config.js';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';
import { testEnv } from '../../setup/environment.js';

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization, x-tenant-slug',
    },
  });

const post = (url: string, origin: string) =>
  fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });

describe('CORS', () => {
  let server: ExtraServer;
  before(async () => {
    server = await startExtraServer({
      REDIS_URL: testEnv().redisUrl,
      CORS_ORIGINS: 'https://app.tessera.test, https://*.example.com',
      CORS_MAX_AGE_SECONDS: '900',
    });
  });
  after(() => server.stop());

  it('answers the preflight of an allowed origin with the tenant headers allowed, cached, without credentials', async () => {
    const response = await preflight(server.url, 'https://app.tessera.test');
    expect(response.status).to.equal(204);
    expect(response.headers.get('access-control-allow-origin')).to.equal('https://app.tessera.test');
    expect(response.headers.get('vary')).to.match(/origin/i);
    expect(response.headers.get('access-control-max-age')).to.equal('900');
    expect(response.headers.get('access-control-allow-credentials')).to.equal(null);
    const allowed = response.headers.get('access-control-allow-headers')!.split(',');
    expect(allowed).to.include.members(['x-tenant-id', 'x-tenant-slug', 'x-api-key', 'authorization', 'content-type']);
  });

  it('exposes the rate-limit headers on the answer to an allowed origin', async () => {
    const response = await post(server.url, 'https://app.tessera.test');
    expect(response.status).to.equal(200);
    expect(response.headers.get('access-control-allow-origin')).to.equal('https://app.tessera.test');
    expect(response.headers.get('access-control-expose-headers')!.split(',')).to.include.members([
      'RateLimit',
      'RateLimit-Policy',
      'Retry-After',
    ]);
  });

  it('gives a disallowed origin no CORS headers', async () => {
    for (const origin of [
      'https://evil.test',
      'https://evil-example.com',
      'https://example.com',
      'http://app.example.com',
      'https://app.tessera.test.evil.test',
    ]) {
      const refused = await preflight(server.url, origin);
      expect(refused.headers.get('access-control-allow-origin'), origin).to.equal(null);
      expect((await post(server.url, origin)).headers.get('access-control-allow-origin'), origin).to.equal(null);
    }
  });

  it('matches https://*.example.com against its subdomains only', async () => {
    for (const origin of ['https://app.example.com', 'https://a.b.example.com']) {
      expect((await preflight(server.url, origin)).headers.get('access-control-allow-origin'), origin).to.equal(origin);
    }
  });

  it('serves the tenant path too', async () => {
    const url = new URL('/t/acme/graphql', server.url).toString();
    expect((await preflight(url, 'https://app.example.com')).headers.get('access-control-allow-origin')).to.equal(
      'https://app.example.com',
    );
  });

  it('allows no origin by default outside zero-setup development, and refuses * in production', async () => {
    const response = await preflight(testEnv().server.url, 'https://app.tessera.test');
    expect(response.headers.get('access-control-allow-origin')).to.equal(null);
    expect(loadConfig({ NODE_ENV: 'development' }).cors.origins).to.deep.equal(['*']);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://db/x' }).cors.origins).to.deep.equal([]);
    expect(() => loadConfig({ NODE_ENV: 'test', CORS_ORIGINS: '*', CORS_CREDENTIALS: 'true' })).to.throw(/CORS_CREDENTIALS/);
    expect(() => loadConfig({ NODE_ENV: 'test', CORS_ORIGINS: 'https://app.example.com/path' })).to.throw(/CORS_ORIGINS/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        CORS_ORIGINS: '*',
        DATABASE_URL: 'postgres://db/x',
        DATABASE_MIGRATOR_URL: 'postgres://db/x',
        JWT_SECRET: 'x'.repeat(32),
        REDIS_URL: 'redis://r',
      }),
    ).to.throw(/CORS_ORIGINS: cannot be \*/);
  });
});
