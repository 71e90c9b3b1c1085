import { expect } from 'chai';
import type { Options } from '@mikro-orm/postgresql';
import { tesseraOrmConfig } from '../../../mikro-orm.config.js';
import { loadConfig } from '../../../src/engine/config.js';
import { Role } from '../../../src/engine/identity/roles.js';
import { startServer, type RunningServer } from '../../../src/engine/http/server.js';
import { createLogger } from '../../../src/engine/observability/logger.js';
import { createServices, type AppServices } from '../../../src/engine/services.js';
import { modules } from '../../../src/modules/index.js';
import { testEnv } from '../../setup/environment.js';
import { request } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminQuery } from '../../support/sql.js';

const ATTACK = `{
  me { id }
  currentTenant { id }
  projects(first: 50) { edges { node { id name } } }
  invites(first: 50) { edges { node { id email } } }
  notifications(first: 50) { edges { node { id } } }
  members(first: 50) { edges { node { role } } }
}`;

/** A gateway whose ORM tenant filter matches every row: row-level security alone keeps tenants apart. */
async function startFilterlessGateway(): Promise<{ url: string; stop(): Promise<void> }> {
  const env = testEnv();
  const withoutFilter = (connection: Parameters<typeof tesseraOrmConfig>[0]): Options => {
    const options = tesseraOrmConfig(connection);
    return { ...options, filters: { tenant: { name: 'tenant', default: true, args: false, cond: () => ({}) } } };
  };
  const services: AppServices = await createServices({
    config: loadConfig({ NODE_ENV: 'test' }),
    log: createLogger('silent'),
    modules,
    ormConfig: withoutFilter,
    databaseUrl: env.urls.appUrl,
    jwtSecret: env.jwtSecret,
  });
  const server: RunningServer = await startServer(services, 0, '127.0.0.1');
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await services.close();
    },
  };
}

/** Tables with RLS enabled (and whether forced), to switch off and restore exactly as they were. */
async function securedTables(): Promise<{ name: string; forced: boolean }[]> {
  const rows = await adminQuery<{ name: string; forced: boolean }>(
    `select c.relname as name, c.relforcerowsecurity as forced from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity`,
  );
  return rows;
}

describe('hardening: each isolation layer holds alone against foreign and stale tokens (issue 13, item 9)', function () {
  this.timeout(60_000);
  let acme: TestTenant;
  let globex: TestTenant;
  let acmeProject: string;
  let removedToken: string;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('acme9'), provisionTenant('globex9')]);
    const created = await request<{ createProject: { id: string } }>(
      'mutation { createProject(input: { name: "Acme secret plan" }) { id } }',
      {},
      { token: acme.token },
    );
    acmeProject = created.data!.createProject.id;
    await request('mutation { inviteMember(email: "victim9@example.com", role: VIEWER) { id } }', {}, { token: acme.token });
    const removed = await addMember(acme, Role.MANAGER);
    const removal = await request(
      'mutation ($userId: ID!) { removeMember(userId: $userId) }',
      { userId: removed.id },
      { token: acme.token },
    );
    expect(removal.errors).to.equal(undefined);
    removedToken = removed.token;
  });

  function attacks(url: () => string) {
    const send = (token: string) =>
      fetch(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: ATTACK }),
      }).then(async (response) => ({ status: response.status, text: await response.text() }));

    it("a validly signed token naming a tenant the user is not in (globex's owner, tid = acme) sees nothing of acme", async () => {
      const token = testEnv().services.tokens.sign({ sub: globex.ownerId, tid: acme.id });
      const { text } = await send(token);
      expect(text).to.not.include(acmeProject);
      expect(text).to.not.include('Acme secret plan');
      expect(text).to.not.include('victim9@example.com');
      const body = JSON.parse(text) as { data?: { projects?: unknown; members?: unknown } };
      expect(body.data?.projects ?? null).to.equal(null);
      expect(body.data?.members ?? null).to.equal(null);
    });

    it('a member removed after the token was issued sees nothing of the tenant', async () => {
      const { text } = await send(removedToken);
      expect(text).to.not.include(acmeProject);
      expect(text).to.not.include('victim9@example.com');
      const body = JSON.parse(text) as { data?: { projects?: unknown } };
      expect(body.data?.projects ?? null).to.equal(null);
    });

    it('the owner still sees their own tenant (the layer is not simply broken)', async () => {
      const { text } = await send(acme.token);
      expect(text).to.include(acmeProject);
      const memberships = await fetch(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.token}` },
        body: JSON.stringify({ query: '{ myMemberships { role } }' }),
      }).then((response) => response.json() as Promise<{ data: { myMemberships: unknown[] } }>);
      expect(memberships.data.myMemberships).to.have.length(1);
    });
  }

  describe('ORM filter off: row-level security alone', () => {
    let gateway: { url: string; stop(): Promise<void> };
    before(async () => {
      gateway = await startFilterlessGateway();
    });
    after(() => gateway.stop());
    attacks(() => gateway.url);
  });

  describe('row-level security off: the ORM filter alone', () => {
    let tables: { name: string; forced: boolean }[] = [];
    before(async () => {
      tables = await securedTables();
      for (const { name } of tables) await adminQuery(`alter table ${name} no force row level security, disable row level security`);
    });
    after(async () => {
      for (const { name, forced } of tables) {
        await adminQuery(`alter table ${name} enable row level security${forced ? ', force row level security' : ''}`);
      }
    });
    attacks(() => testEnv().server.url);
  });

  it("a user's own memberships listing still shows every tenant, from inside a tenant's request", async () => {
    const member = await addMember(globex, Role.VIEWER);
    const [user] = await adminQuery<{ id: string }>('select id from users where id = $1', [member.id]);
    await adminQuery(
      `insert into memberships (tenant_id, id, user_id, role, created_at) values ($1, gen_random_uuid(), $2, 'VIEWER', now())`,
      [acme.id, user!.id],
    );
    const response = await request<{ myMemberships: { role: string }[] }>(
      '{ myMemberships { role tenant { id } } }',
      {},
      { token: member.token },
    );
    expect(response.data?.myMemberships).to.have.length(2);
  });
});
