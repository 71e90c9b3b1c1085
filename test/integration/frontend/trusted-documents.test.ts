import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { MeDocument } from '../../../client/generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminOne } from '../../support/sql.js';
import { wsClient, wsQuery } from '../../support/ws.js';

const meId = (MeDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
const manifest = 'client/generated/persisted-documents.json';

async function post(url: string, body: Record<string, unknown>, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions: { code: string } }[] } };
}

const codes = (response: { body: { errors?: { extensions: { code: string } }[] } }) =>
  response.body.errors?.map((error) => error.extensions.code);

async function operatorToken(): Promise<string> {
  const operator = await adminOne<{ id: string }>(
    `insert into users (id, email, name, password_hash, is_platform_admin)
     values (gen_random_uuid(), 'ops-' || gen_random_uuid() || '@tessera.example.com', 'Ops', 'x', true) returning id`,
  );
  return testEnv().services.tokens.sign({ sub: operator.id });
}

describe('trusted documents', function () {
  this.timeout(30_000);
  let tenant: TestTenant;
  before(async () => {
    tenant = await provisionTenant('trusted');
  });

  it('codegen writes a manifest of the client operations, hash -> document', async () => {
    const { readFile } = await import('node:fs/promises');
    const documents = JSON.parse(await readFile(manifest, 'utf8')) as Record<string, string>;
    expect(documents[meId]).to.match(/^query Me /);
    for (const [id, document] of Object.entries(documents)) {
      expect(id).to.equal(`sha256:${createHash('sha256').update(document).digest('hex')}`);
    }
  });

  describe('TRUSTED_DOCUMENTS=required', () => {
    let server: ExtraServer;
    before(async () => {
      server = await startExtraServer({
        REDIS_URL: testEnv().redisUrl,
        TRUSTED_DOCUMENTS: 'required',
        TRUSTED_DOCUMENTS_MANIFEST: manifest,
      });
    });
    after(() => server.stop());

    it('runs a known document by documentId and by persisted-query hash, over POST and GET', async () => {
      const byId = await post(server.url, { documentId: meId }, tenant.token);
      expect(byId.status).to.equal(200);
      expect(byId.body.data.me.email).to.equal(tenant.ownerEmail);
      const byHash = await post(
        server.url,
        { extensions: { persistedQuery: { version: 1, sha256Hash: meId.slice('sha256:'.length) } } },
        tenant.token,
      );
      expect(byHash.body.data.me.email).to.equal(tenant.ownerEmail);
      const url = new URL(server.url);
      url.searchParams.set('documentId', meId);
      const get = await fetch(url, { headers: { authorization: `Bearer ${tenant.token}`, 'apollo-require-preflight': 'true' } });
      expect(get.status).to.equal(200);
      expect(((await get.json()) as any).data.me.email).to.equal(tenant.ownerEmail);
    });

    it('refuses a document of the client own, even from a platform operator, and an unknown id', async () => {
      const raw = await post(server.url, { query: '{ me { email } }' }, tenant.token);
      expect(raw.status).to.equal(400);
      expect(codes(raw)).to.deep.equal(['TRUSTED_DOCUMENT_REQUIRED']);
      expect(codes(await post(server.url, { query: '{ me { email } }' }, await operatorToken()))).to.deep.equal([
        'TRUSTED_DOCUMENT_REQUIRED',
      ]);
      const unknown = await post(server.url, { documentId: `sha256:${'0'.repeat(64)}`, query: '{ me { email } }' }, tenant.token);
      expect(unknown.status).to.equal(400);
      expect(codes(unknown)).to.deep.equal(['PERSISTED_QUERY_NOT_FOUND']);
    });

    it('applies over graphql-ws too', async () => {
      const client = wsClient(tenant.token, {}, server.url);
      try {
        const raw = await wsQuery(client, '{ me { email } }');
        expect(raw.errors?.map((error: any) => error.extensions.code)).to.deep.equal(['TRUSTED_DOCUMENT_REQUIRED']);
      } finally {
        await client.dispose();
      }
    });

    it('labels the metrics with the trusted name, not a client-supplied one', async () => {
      await post(server.url, { documentId: meId, operationName: 'Me' }, tenant.token);
      const metrics = await (await fetch(new URL('/metrics', server.url))).text();
      expect(metrics).to.match(/operation="Me"/);
    });
  });

  describe('TRUSTED_DOCUMENTS=allowed', () => {
    let server: ExtraServer;
    before(async () => {
      server = await startExtraServer({
        REDIS_URL: testEnv().redisUrl,
        TRUSTED_DOCUMENTS: 'allowed',
        TRUSTED_DOCUMENTS_MANIFEST: manifest,
      });
    });
    after(() => server.stop());

    it('runs known documents for anyone and documents of their own for platform operators only', async () => {
      expect((await post(server.url, { documentId: meId }, tenant.token)).body.data.me.email).to.equal(tenant.ownerEmail);
      const member = await post(server.url, { query: '{ me { email } }' }, tenant.token);
      expect(member.status).to.equal(400);
      expect(codes(member)).to.deep.equal(['TRUSTED_DOCUMENT_REQUIRED']);
      expect(codes(await post(server.url, { query: '{ apiVersion }' }))).to.deep.equal(['TRUSTED_DOCUMENT_REQUIRED']);
      const operator = await post(server.url, { query: '{ me { email } }' }, await operatorToken());
      expect(operator.status).to.equal(200);
      expect(operator.body.data.me.email).to.match(/^ops-/);
      expect(codes(await post(server.url, { documentId: `sha256:${'1'.repeat(64)}` }, tenant.token))).to.deep.equal([
        'PERSISTED_QUERY_NOT_FOUND',
      ]);
    });
  });

  describe('TRUSTED_DOCUMENTS=off (development and test default)', () => {
    it('runs any document, and known ids too', async () => {
      expect((await post(testEnv().server.url, { query: '{ me { email } }' }, tenant.token)).body.data.me.email).to.equal(
        tenant.ownerEmail,
      );
      expect((await post(testEnv().server.url, { documentId: meId }, tenant.token)).body.data.me.email).to.equal(tenant.ownerEmail);
    });
  });
});
