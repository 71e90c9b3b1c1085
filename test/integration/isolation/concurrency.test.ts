import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import { testEnv } from '../../setup/environment.js';
import { request, type GraphQLResponse } from '../../support/client.js';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { itemAt } from '../../support/lists.js';

const PROBE = '{ me { id } currentTenant { id slug } myMemberships { role tenant { id } } }';

interface Probe {
  me: { id: string };
  currentTenant: { id: string; slug: string };
  myMemberships: { role: string; tenant: { id: string } }[];
}

/** Every id in a response must belong to the caller's tenant (or be the caller). */
function assertOnlyOwn(response: GraphQLResponse<Probe>, tenant: TestTenant, member: TestMember): void {
  expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
  const data = response.data!;
  expect(data.me.id).to.equal(member.id);
  expect(data.currentTenant.id).to.equal(tenant.id);
  expect(data.myMemberships.map((m) => m.tenant.id)).to.deep.equal([tenant.id]);
}

describe('isolation: concurrent tenants on pooled connections', function () {
  this.timeout(60_000);
  const tenants: { tenant: TestTenant; members: TestMember[] }[] = [];

  before(async () => {
    for (let i = 0; i < 6; i++) {
      const tenant = await provisionTenant(`conc${i}`);
      const members = await Promise.all([Role.MANAGER, Role.MEMBER, Role.VIEWER].map((role) => addMember(tenant, role)));
      tenants.push({ tenant, members });
    }
  });

  async function hammer(url: string, rounds: number): Promise<void> {
    const calls: Promise<void>[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const { tenant, members } of tenants) {
        const member = itemAt(members, round % members.length);
        calls.push(
          request<Probe>(PROBE, {}, { token: member.token, path: new URL(url).pathname }).then((response) =>
            assertOnlyOwn(response, tenant, member),
          ),
        );
      }
    }
    await Promise.all(calls);
  }

  it('6 tenants × 40 concurrent requests each see only their own tenant (pool of 10)', async () => {
    await hammer(testEnv().server.url, 40);
  });

  describe('with a pool of ONE connection', () => {
    let server: ExtraServer;

    before(async () => {
      server = await startExtraServer({ DATABASE_POOL_MAX: '1', REDIS_URL: testEnv().redisUrl });
    });

    after(async () => {
      await server.stop();
    });

    it('alternating tenants one after another never see the previous tenant', async () => {
      for (let round = 0; round < 30; round++) {
        const { tenant, members } = itemAt(tenants, round % tenants.length);
        const member = itemAt(members, round % members.length);
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
          body: JSON.stringify({ query: PROBE }),
        });
        assertOnlyOwn({ status: response.status, ...((await response.json()) as object) }, tenant, member);
      }
    });

    it('concurrent tenants queued on the one connection stay apart', async () => {
      const calls = tenants.flatMap(({ tenant, members }) =>
        members.map(async (member) => {
          const response = await fetch(server.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
            body: JSON.stringify({ query: PROBE }),
          });
          assertOnlyOwn({ status: response.status, ...((await response.json()) as object) }, tenant, member);
        }),
      );
      await Promise.all(calls);
    });
  });
});
