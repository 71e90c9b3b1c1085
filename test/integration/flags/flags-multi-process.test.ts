import { expect } from 'chai';
import { print } from 'graphql';
import { rolloutBucket } from '../../../src/modules/flags/flag-resolution.js';
import { ChangePlanDocument, FeatureFlagsDocument, SetFeatureFlagDocument, SetGlobalFeatureFlagDocument } from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { startGatewayProcess, type ChildService } from '../../support/processes.js';
import { adminOne } from '../../support/sql.js';

type FlagKey = 'newDashboard' | 'aiTaskSummaries' | 'bulkTaskEdit';
type Flags = Record<FlagKey, { enabled: boolean; source: string; rolloutPercent: number | null }>;

async function post(url: string, document: Parameters<typeof print>[0], variables: object, token: string): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (!body.data || body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function flagsAt(url: string, token: string): Promise<Flags> {
  const data = await post(url, FeatureFlagsDocument, {}, token);
  return Object.fromEntries(
    (data.featureFlags as any[]).map((flag) => [
      flag.key,
      { enabled: flag.enabled, source: flag.source, rolloutPercent: flag.rolloutPercent },
    ]),
  ) as Flags;
}

/** Milliseconds until `url` answers what `done` wants; fails past `limitMs`. */
async function msUntil(url: string, token: string, done: (flags: Flags) => boolean, limitMs = 1000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (done(await flagsAt(url, token))) return Date.now() - started;
    if (Date.now() - started > limitMs) throw new Error(`not seen within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('feature flags across two gateway processes', function () {
  this.timeout(60_000);
  let one: ChildService & { url: string };
  let two: ChildService & { url: string };
  let tenant: TestTenant;
  let ops: string;

  before(async () => {
    [one, two, tenant] = await Promise.all([startGatewayProcess(), startGatewayProcess(), provisionTenant('fmp', 'FREE')]);
    const operator = await adminOne<{ id: string }>(
      `insert into users (id, email, name, password_hash, is_platform_admin)
       values (gen_random_uuid(), 'ops-' || gen_random_uuid() || '@tessera.example.com', 'Ops', 'x', true) returning id`,
    );
    ops = testEnv().services.tokens.sign({ sub: operator.id });
  });

  after(async () => {
    await Promise.all([one.stop(), two.stop()]);
  });

  it('a tenant override set on gateway 2 reaches the warm cache of gateway 1 within 1 s', async () => {
    expect((await flagsAt(one.url, tenant.token)).newDashboard.source).to.equal('GLOBAL');
    await post(two.url, SetFeatureFlagDocument, { key: 'newDashboard', enabled: true }, tenant.token);
    const ms = await msUntil(one.url, tenant.token, (flags) => flags.newDashboard.source === 'TENANT' && flags.newDashboard.enabled);
    expect(ms).to.be.below(1000);
  });

  it('gives a tenant the same rollout answer in every process', async () => {
    await post(two.url, SetFeatureFlagDocument, { key: 'newDashboard', enabled: true, rolloutPercent: 50 }, tenant.token);
    const expected = rolloutBucket('newDashboard', tenant.id) < 50;
    await msUntil(one.url, tenant.token, (flags) => flags.newDashboard.rolloutPercent === 50);
    for (const gateway of [one, two, { url: testEnv().server.url }]) {
      for (let i = 0; i < 3; i++) expect((await flagsAt(gateway.url, tenant.token)).newDashboard.enabled).to.equal(expected);
    }
  });

  it("an operator's global default set on gateway 2 reaches gateway 1 within 1 s", async () => {
    expect((await flagsAt(one.url, tenant.token)).aiTaskSummaries).to.deep.include({ enabled: false, source: 'GLOBAL' });
    await post(two.url, SetGlobalFeatureFlagDocument, { key: 'aiTaskSummaries', enabled: true }, ops);
    try {
      const ms = await msUntil(one.url, tenant.token, (flags) => flags.aiTaskSummaries.enabled);
      expect(ms).to.be.below(1000);
    } finally {
      await post(two.url, SetGlobalFeatureFlagDocument, { key: 'aiTaskSummaries', enabled: false }, ops);
    }
  });

  it('a plan change on gateway 2 switches plan defaults on gateway 1 within 1 s', async () => {
    expect((await flagsAt(one.url, tenant.token)).bulkTaskEdit.source).to.equal('PLAN');
    await post(two.url, ChangePlanDocument, { plan: 'ENTERPRISE' }, tenant.token);
    const ms = await msUntil(
      one.url,
      tenant.token,
      (flags) => flags.bulkTaskEdit.source === 'GLOBAL' && flags.aiTaskSummaries.source === 'PLAN',
    );
    expect(ms).to.be.below(1000);
  });
});
