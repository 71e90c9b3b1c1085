import { createPubSub } from '@graphql-yoga/subscription';
import { expect } from 'chai';
import { inTenantTransaction } from '../../../src/engine/tenancy/tenant-session.js';
import type { Topics } from '../../../src/engine/pubsub/pubsub.js';
import { PlanCode } from '../../../src/engine/tenancy/tenant.enums.js';
import { FlagStore } from '../../../src/modules/flags/flag-store.js';
import { TenantFeatureFlag } from '../../../src/modules/flags/flag.entity.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';

/** The flag cache when change messages do not arrive (Redis down): each store has a pub/sub of its own. */
describe('flag cache without change messages', function () {
  this.timeout(30_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await provisionTenant('fcache', 'PRO');
  });

  const isEnabled = (store: FlagStore) =>
    inTenantTransaction(testEnv().services.orm.em, tenant.id, (em) =>
      store.isEnabled(em, { id: tenant.id, plan: PlanCode.PRO }, 'newDashboard'),
    );

  it('a process that misses the change still answers it once its entry expires (the TTL fallback)', async () => {
    // Long enough that the stale read below happens before expiry even on a loaded machine.
    const ttlMs = 4_000;
    const writer = new FlagStore(createPubSub<Topics>(), ttlMs);
    const reader = new FlagStore(createPubSub<Topics>(), ttlMs);
    expect(await isEnabled(reader)).to.equal(false);
    expect(await isEnabled(writer)).to.equal(false);

    await inTenantTransaction(testEnv().services.orm.em, tenant.id, async (em) => {
      em.create(TenantFeatureFlag, { key: 'newDashboard', enabled: true });
      await em.flush();
    });
    writer.publishChange(tenant.id);

    expect(await isEnabled(writer), 'the writing process forgets at once').to.equal(true);
    expect(await isEnabled(reader), 'the other process answers from its entry until it expires').to.equal(false);
    await new Promise((resolve) => setTimeout(resolve, ttlMs + 100));
    expect(await isEnabled(reader)).to.equal(true);
  });
});
