import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import { CompiledQuery, type Kysely } from 'kysely';
import { sendRead } from '../../../src/engine/db/deferred-begin.js';
import { tesseraOrmConfig } from '../../../mikro-orm.config.js';
import { closeRequestSession, openRequestSession, readOnlyRequestSession, tenantFork } from '../../../src/engine/tenancy/tenant-session.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminOne, adminQuery } from '../../support/sql.js';

const backendPid = async (em: EntityManager): Promise<number> =>
  (await em.execute<{ pid: number }[]>('select pg_backend_pid() as pid'))[0]!.pid;

const setting = async (em: EntityManager, name: string): Promise<string> =>
  (await em.execute<{ value: string }[]>(`select current_setting('${name}', true) as value`))[0]?.value ?? '';

/** A query operation's transaction is READ ONLY: PostgreSQL refuses any write a query might attempt. */
describe('query operations run in READ ONLY transactions', () => {
  let tenant: TestTenant;
  let other: TestTenant;
  let em: EntityManager;

  before(async () => {
    tenant = await provisionTenant('readonly');
    other = await provisionTenant('readonly-next');
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

  describe('the COMMIT of a read, owed by its connection (a pool of one connection of its own)', () => {
    let orm: MikroORM;

    before(async () => {
      orm = await MikroORM.init(tesseraOrmConfig({ clientUrl: testEnv().urls.appUrl, poolMax: 1 }));
    });
    after(() => orm.close(true));

    /** A committed read-only request transaction of `tenant` that read its projects; the backend's pid. */
    async function readProjects(): Promise<number> {
      const reader = tenantFork(orm.em, tenant.id);
      await openRequestSession(reader, tenant.id, tenant.ownerId);
      expect(await readOnlyRequestSession(reader)).to.equal(true);
      await reader.execute('select count(*) from projects');
      const pid = await backendPid(reader);
      await closeRequestSession(reader, true, true);
      return pid;
    }

    it("leaves with the connection's next statement: the next holder sees neither its tenant nor its read-only mode", async () => {
      const readerPid = await readProjects();
      const next = tenantFork(orm.em, other.id);
      await openRequestSession(next, other.id, other.ownerId);
      try {
        expect(await backendPid(next)).to.equal(readerPid);
        expect(await setting(next, 'app.tenant_id')).to.equal(other.id);
        expect(await setting(next, 'app.user_id')).to.equal(other.ownerId);
        expect(await setting(next, 'transaction_read_only')).to.equal('off');
        const projects = await next.execute<{ tenant_id: string }[]>('select tenant_id from projects');
        expect(projects.every((project) => project.tenant_id === other.id)).to.equal(true);
      } finally {
        await closeRequestSession(next, false);
      }
    });

    it("answers a read of an open read-only transaction sent while another is in flight, and never sends a read of an ended one into the next holder's", async () => {
      const currentTenant = CompiledQuery.raw("select current_setting('app.tenant_id', true) as value");
      const reader = tenantFork(orm.em, tenant.id);
      await openRequestSession(reader, tenant.id, tenant.ownerId);
      expect(await readOnlyRequestSession(reader)).to.equal(true);
      const ended = reader.getTransactionContext<Kysely<unknown>>()!;
      const [inFlight, behind] = await Promise.all([
        reader.execute<{ value: string }[]>("select pg_sleep(0.05), current_setting('app.tenant_id', true) as value"),
        sendRead<{ value: string }>(ended, currentTenant),
      ]);
      expect([inFlight[0]?.value, behind.rows[0]?.value]).to.deep.equal([tenant.id, tenant.id]);
      await closeRequestSession(reader, true, true);

      const next = tenantFork(orm.em, other.id);
      await openRequestSession(next, other.id, other.ownerId);
      expect(await readOnlyRequestSession(next)).to.equal(true);
      try {
        const stale = await sendRead<{ value: string }>(ended, currentTenant).then(
          (result) => result.rows[0]?.value,
          (error: unknown) => error,
        );
        expect(stale).to.be.instanceOf(Error);
        const own = await sendRead<{ value: string }>(next.getTransactionContext<Kysely<unknown>>()!, currentTenant);
        expect(own.rows[0]?.value).to.equal(other.id);
      } finally {
        await closeRequestSession(next, false);
      }
    });

    it('leaves on its own when nothing follows on the connection: the read soon releases its locks', async () => {
      const readerPid = await readProjects();
      // What ALTER TABLE takes: it waits for the read's ACCESS SHARE lock until the read commits.
      await adminQuery(`begin; set local lock_timeout = '2s'; lock table projects in access exclusive mode; rollback`);
      const reader = await adminOne<{ state: string }>('select state from pg_stat_activity where pid = $1', [readerPid]);
      expect(reader.state).to.equal('idle');
    });
  });
});
