import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import { closeRequestSession, openRequestSession, readOnlyRequestSession, tenantFork } from '../../../src/engine/tenancy/tenant-session.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';

const setting = async (em: EntityManager, name: string): Promise<string> =>
  (await em.execute<{ value: string }[]>(`select current_setting('${name}', true) as value`))[0]?.value ?? '';

/** A query operation's transaction is READ ONLY: PostgreSQL refuses any write a query might attempt. */
describe('query operations run in READ ONLY transactions', () => {
  let tenant: TestTenant;
  let em: EntityManager;

  before(async () => {
    tenant = await provisionTenant('readonly');
  });
  beforeEach(() => {
    em = tenantFork(testEnv().services.orm.em, tenant.id);
  });
  afterEach(async () => {
    await closeRequestSession(em, false).catch(() => undefined);
  });

  it('starts the request transaction read only, with the tenant session, and refuses a write in it', async () => {
    await openRequestSession(em, tenant.id, tenant.ownerId);
    expect(await readOnlyRequestSession(em)).to.equal(true);
    expect(await setting(em, 'transaction_read_only')).to.equal('on');
    expect(await setting(em, 'app.tenant_id')).to.equal(tenant.id);
    expect(await setting(em, 'app.user_id')).to.equal(tenant.ownerId);
    const error = await em.execute(`update projects set name = name where tenant_id = '${tenant.id}'`).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(String(error)).to.match(/read-only transaction/);
  });

  it('leaves a transaction read-write once a statement of it was sent (a caller read from the database)', async () => {
    await openRequestSession(em, tenant.id, tenant.ownerId);
    expect(await setting(em, 'app.tenant_id')).to.equal(tenant.id);
    expect(await readOnlyRequestSession(em)).to.equal(false);
    expect(await setting(em, 'transaction_read_only')).to.equal('off');
  });

  it('keeps a mutation read-write: over HTTP a query reads and a mutation writes as before', async () => {
    const post = async (query: string) => {
      const response = await fetch(testEnv().server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}` },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { data?: Record<string, { id?: string }>; errors?: unknown[] };
    };
    await post('{ __typename }'); // the caller is cached from here on: the next transactions start unsent
    const created = await post('mutation { createProject(input: { name: "ro" }) { id } }');
    expect(created.errors, JSON.stringify(created.errors)).to.equal(undefined);
    const read = await post(`{ project(id: "${created.data?.createProject?.id}") { id } }`);
    expect(read.errors, JSON.stringify(read.errors)).to.equal(undefined);
    expect(read.data?.project?.id).to.equal(created.data?.createProject?.id);
  });
});
