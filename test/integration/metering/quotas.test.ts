import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Role } from '../../../src/engine/identity/roles.js';
import { CreateProjectDocument, InviteMemberDocument, UsageDocument, type UsageQuery } from '../../generated/graphql.js';
import { codes, execute, expectError, ok, request } from '../../support/client.js';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';
import { addMember, provisionTenant } from '../../support/fixtures.js';
import { adminOne } from '../../support/sql.js';
import { testEnv } from '../../setup/environment.js';

function monthKey(tenantId: string): string {
  return `tessera:api-calls:${tenantId}:${new Date().toISOString().slice(0, 7)}`;
}

function usageOf(data: UsageQuery, metric: string) {
  return data.usage.metrics.find((entry) => entry.metric === metric);
}

describe('quotas', () => {
  it('admits exactly up to the project limit under 50 concurrent createProject, and writes nothing more', async () => {
    const tenant = await provisionTenant('quota-projects', 'FREE');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => execute(CreateProjectDocument, { input: { name: `P${i}` } }, { token: tenant.token })),
    );
    const created = results.filter((result) => !result.errors);
    const refused = results.filter((result) => codes(result)[0] === 'QUOTA_EXCEEDED');
    expect(created).to.have.length(5);
    expect(refused).to.have.length(45);
    expect(refused[0]!.status).to.equal(200);
    expect(refused[0]!.errors![0]!.extensions).to.include({ metric: 'PROJECTS', limit: 5, used: 5 });
    const { count } = await adminOne<{ count: string }>('select count(*) from projects where tenant_id = $1', [tenant.id]);
    expect(Number(count)).to.equal(5);
  });

  it('counts members plus pending invites as seats, atomically', async () => {
    const tenant = await provisionTenant('quota-seats', 'FREE');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        execute(InviteMemberDocument, { email: `seat${i}@example.com`, role: 'MEMBER' }, { token: tenant.token }),
      ),
    );
    // The owner holds one of the three seats.
    expect(results.filter((result) => !result.errors)).to.have.length(2);
    const refusal = results.find((result) => codes(result)[0] === 'QUOTA_EXCEEDED');
    expect(refusal?.errors?.[0]?.extensions).to.include({ metric: 'SEATS', limit: 3, used: 3 });
    const { count } = await adminOne<{ count: string }>('select count(*) from invites where tenant_id = $1', [tenant.id]);
    expect(Number(count)).to.equal(2);
  });
});

describe('monthly API-call quota', () => {
  let redis: Redis;
  before(() => {
    redis = new Redis(testEnv().redisUrl);
  });
  after(() => redis.quit());

  it('answers 429 QUOTA_EXCEEDED with Retry-After to the end of the month once the plan allows no more', async () => {
    const tenant = await provisionTenant('quota-api', 'FREE');
    await redis.set(monthKey(tenant.id), 9_998);

    const last = await fetch(new URL('/graphql', testEnv().server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}` },
      body: JSON.stringify({ query: '{ currentTenant { id } }' }),
    });
    expect(last.status).to.equal(200);
    expect(last.headers.get('ratelimit-policy')).to.match(/(^|, )"monthly-api-calls";q=10000;w=\d+($|,)/);
    expect(last.headers.get('ratelimit')).to.match(/(^|, )"monthly-api-calls";r=1;t=\d+($|,)/);

    await request('{ currentTenant { id } }', {}, { token: tenant.token });
    const refused = await fetch(new URL('/graphql', testEnv().server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}` },
      body: JSON.stringify({ query: '{ currentTenant { id } }' }),
    });
    expect(refused.status).to.equal(429);
    const endOfMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1));
    const expected = (endOfMonth.getTime() - Date.now()) / 1000;
    expect(Number(refused.headers.get('retry-after'))).to.be.closeTo(expected, 5);
    const body = (await refused.json()) as { data?: unknown; errors: { extensions: Record<string, unknown> }[] };
    expect(body.data ?? null).to.equal(null);
    expect(body.errors[0]!.extensions).to.include({ code: 'QUOTA_EXCEEDED', metric: 'API_CALLS', limit: 10_000, used: 10_000 });
    // Refused calls are not counted.
    expect(Number(await redis.get(monthKey(tenant.id)))).to.equal(10_000);
  });

  it('leaves other tenants alone and does not count anonymous operations', async () => {
    const full = await provisionTenant('quota-full', 'FREE');
    const other = await provisionTenant('quota-other', 'FREE');
    await redis.set(monthKey(full.id), 10_000);
    expectError(await request('{ currentTenant { id } }', {}, { token: full.token }), 'QUOTA_EXCEEDED');
    ok(await request('{ currentTenant { id } }', {}, { token: other.token }));
    const before = Number(await redis.get(monthKey(other.id)));
    await request('{ __typename }');
    expect(Number(await redis.get(monthKey(other.id)))).to.equal(before);
  });
});

describe('operations per user', () => {
  let limited: ExtraServer;
  before(async () => {
    // In-process limiters (no REDIS_URL): the main gateway's calls of the same users count elsewhere.
    limited = await startExtraServer({ RATE_LIMIT_OPERATIONS_PER_MINUTE: '3' });
  });
  after(() => limited.stop());

  it('limits a signed-in user per tenant (429, Retry-After, RateLimit headers), and not the next user', async () => {
    const tenant = await provisionTenant('per-user', 'PRO');
    const other = await addMember(tenant, Role.MEMBER);
    const call = (token: string) =>
      fetch(limited.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ currentTenant { id } }' }),
      });
    for (let i = 3; i > 0; i--) {
      const admitted = await call(tenant.token);
      expect(admitted.status).to.equal(200);
      expect(admitted.headers.get('ratelimit-policy')).to.include('"caller";q=3;w=60');
      expect(admitted.headers.get('ratelimit')).to.match(new RegExp(`"caller";r=${i - 1};t=\\d+`));
    }
    const refused = await call(tenant.token);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
    expect(refused.headers.get('ratelimit')).to.match(/"caller";r=0;t=\d+/);
    const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).to.equal('RATE_LIMITED');
    expect((await call(other.token)).status, 'another user has a budget of their own').to.equal(200);
  });
});

describe('usage', () => {
  it('shows managers seats, projects and API calls against the plan, and nobody below', async () => {
    const tenant = await provisionTenant('usage', 'FREE');
    ok(await execute(CreateProjectDocument, { input: { name: 'Counted' } }, { token: tenant.token }));
    ok(await execute(InviteMemberDocument, { email: 'pending@example.com', role: 'VIEWER' }, { token: tenant.token }));
    // Written below the API: a tenant over its limit (after a downgrade, say) keeps what it has.
    const manager = await addMember(tenant, Role.MANAGER);
    const member = await addMember(tenant, Role.MEMBER);

    const usage = ok(await execute(UsageDocument, {}, { token: manager.token }));
    expect(usageOf(usage, 'SEATS')).to.deep.equal({ metric: 'SEATS', used: 4, limit: 3 });
    expect(usageOf(usage, 'PROJECTS')).to.deep.equal({ metric: 'PROJECTS', used: 1, limit: 5 });
    // Provisioning's polls, the two mutations and this query, at least.
    expect(usageOf(usage, 'API_CALLS')!.used).to.be.greaterThanOrEqual(3);
    expect(usageOf(usage, 'API_CALLS')!.limit).to.equal(10_000);
    expect(new Date(usage.usage.periodStart).getUTCDate()).to.equal(1);

    expectError(await execute(UsageDocument, {}, { token: member.token }), 'FORBIDDEN');
  });
});
