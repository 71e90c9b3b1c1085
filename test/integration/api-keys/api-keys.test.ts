import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { print } from 'graphql';
import { Role } from '../../../src/engine/identity/roles.js';
import { generateApiKeySecret } from '../../../src/modules/api-keys/api-key-secret.js';
import {
  ApiKeysDocument,
  CreateApiKeyDocument,
  CreateProjectDocument,
  CurrentTenantDocument,
  MeDocument,
  ProjectDocument,
  ProjectsDocument,
  ProjectTreeDocument,
  RevokeApiKeyDocument,
  TaskDocument,
  TransitionProjectDocument,
  UpdateProjectDocument,
} from '../../generated/graphql.js';
import { execute, expectError, ok, request, type RequestOptions } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject, createTask } from '../../support/projects.js';
import { itemAt } from '../../support/lists.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { startExtraServer } from '../../support/extra-server.js';
import { waitUntil } from '../../support/wait.js';
import { testEnv } from '../../setup/environment.js';

/** fetch() may not set Host; node:http can, as a client of a tenant subdomain would. */
function postWithHost(host: string, secret: string): Promise<{ status: number; body: any }> {
  const url = new URL(testEnv().server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { host, 'content-type': 'application/json', 'x-api-key': secret },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query: '{ currentTenant { id } }' }));
  });
}

async function createKey(tenant: TestTenant, role: Role, expiresAt?: Date) {
  const data = ok(
    await execute(
      CreateApiKeyDocument,
      { input: { name: `${role} key`, role, expiresAt: expiresAt?.toISOString() } },
      { token: tenant.token },
    ),
  );
  return { id: data.createApiKey!.apiKey.id, secret: data.createApiKey!.secret, apiKey: data.createApiKey!.apiKey };
}

const withKey = (secret: string, extra: Omit<RequestOptions, 'token'> = {}): RequestOptions => ({
  ...extra,
  headers: { 'x-api-key': secret, ...extra.headers },
});

describe('API keys', () => {
  let acme: TestTenant;
  let globex: TestTenant;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('key-acme', 'PRO'), provisionTenant('key-globex', 'PRO')]);
  });

  it('shows the secret once and stores only its SHA-256, with a visible prefix', async () => {
    const { id, secret, apiKey } = await createKey(acme, Role.VIEWER);
    expect(secret).to.match(/^tsk_[0-9A-Za-z]{38}$/);
    expect(apiKey).to.deep.include({ name: 'VIEWER key', role: 'VIEWER', prefix: secret.slice(0, 12), lastUsedAt: null, active: true });

    const listed = ok(await execute(ApiKeysDocument, {}, { token: acme.token })).apiKeys!;
    expect(listed.edges.map((edge) => edge.node.id)).to.include(id);
    const noSecret = await request(`{ apiKeys { edges { node { secret } } } }`, {}, { token: acme.token });
    expectError(noSecret, 'BAD_USER_INPUT');

    const row = await adminOne<Record<string, unknown>>('select * from api_keys where id = $1', [id]);
    expect(row.secret_hash).to.equal(createHash('sha256').update(secret).digest('hex'));
    expect(row.prefix).to.equal(secret.slice(0, 12));
    const stored = JSON.stringify(row);
    expect(stored).not.to.include(secret.slice(12));
    const audit = await adminQuery<{ action: string; actor_user_id: string }>(
      'select action, actor_user_id from audit_events where tenant_id = $1 and target_id = $2',
      [acme.id, id],
    );
    expect(audit).to.deep.equal([{ action: 'api_key.created', actor_user_id: acme.ownerId }]);
  });

  it('authenticates as a service principal of its tenant with its role: a VIEWER key reads but cannot mutate', async () => {
    const projectId = await createProject(acme.token, 'Viewed by a key');
    const { secret } = await createKey(acme, Role.VIEWER);
    const tenant = ok(await execute(CurrentTenantDocument, {}, withKey(secret))).currentTenant;
    expect(tenant?.id).to.equal(acme.id);
    const project = ok(await execute(ProjectDocument, { id: projectId }, withKey(secret))).project;
    expect(project?.name).to.equal('Viewed by a key');
    expectError(await execute(CreateProjectDocument, { input: { name: 'Nope' } }, withKey(secret)), 'FORBIDDEN');
    expectError(await execute(UpdateProjectDocument, { id: projectId, input: { name: 'Nope' } }, withKey(secret)), 'FORBIDDEN');
    // A key is not a person: `me` has nobody to describe.
    expectError(await execute(MeDocument, {}, withKey(secret)), 'UNAUTHENTICATED');
  });

  it('a MANAGER key edits as a manager, but work that must belong to a person is FORBIDDEN', async () => {
    const projectId = await createProject(acme.token, 'Managed by a key');
    const { secret } = await createKey(acme, Role.MANAGER);
    const updated = ok(await execute(UpdateProjectDocument, { id: projectId, input: { name: 'Renamed by a key' } }, withKey(secret)));
    expect(updated.updateProject?.name).to.equal('Renamed by a key');
    // A project needs an owner user.
    expectError(await execute(CreateProjectDocument, { input: { name: 'Ownerless' } }, withKey(secret)), 'FORBIDDEN');
    // Keys never manage keys (OWNER only).
    expectError(await execute(CreateApiKeyDocument, { input: { name: 'x', role: Role.VIEWER } }, withKey(secret)), 'FORBIDDEN');
    // Its changes are audited as the key's, with no user.
    const { id: keyId } = await adminOne<{ id: string }>('select id from api_keys where prefix = $1', [secret.slice(0, 12)]);
    ok(await execute(TransitionProjectDocument, { id: projectId, to: 'SUBMITTED' }, withKey(secret)));
    const events = await adminQuery<{ actor_user_id: string | null; data: { actorApiKeyId?: string } }>(
      `select actor_user_id, data from audit_events where tenant_id = $1 and target_id = $2 and action = 'project.transition'`,
      [acme.id, projectId],
    );
    expect(events).to.have.length(1);
    expect(itemAt(events, 0).actor_user_id).to.equal(null);
    expect(itemAt(events, 0).data.actorApiKeyId).to.equal(keyId);
  });

  it('refuses OWNER keys, keys expiring in the past, and key creation by anyone but an OWNER', async () => {
    const owner = expectError(
      await execute(CreateApiKeyDocument, { input: { name: 'root', role: Role.OWNER } }, { token: acme.token }),
      'BAD_USER_INPUT',
    );
    expect(owner.extensions?.fieldErrors).to.deep.equal([{ field: 'role', message: 'An API key cannot be OWNER' }]);
    const past = await execute(
      CreateApiKeyDocument,
      { input: { name: 'old', role: Role.VIEWER, expiresAt: new Date(Date.now() - 1000).toISOString() } },
      { token: acme.token },
    );
    expect(expectError(past, 'BAD_USER_INPUT').extensions?.fieldErrors).to.deep.equal([
      { field: 'expiresAt', message: 'expiresAt must be in the future' },
    ]);
    const manager = await addMember(acme, Role.MANAGER);
    expectError(await execute(CreateApiKeyDocument, { input: { name: 'm', role: Role.VIEWER } }, { token: manager.token }), 'FORBIDDEN');
    expectError(await execute(ApiKeysDocument, {}, { token: manager.token }), 'FORBIDDEN');
    const { count } = await adminOne<{ count: number }>(`select count(*)::int as count from api_keys where name in ('root', 'old', 'm')`);
    expect(count).to.equal(0);
  });

  it('a bearer token and a key together are refused (401)', async () => {
    const { secret } = await createKey(acme, Role.VIEWER);
    const response = await execute(CurrentTenantDocument, {}, { token: acme.token, headers: { 'x-api-key': secret } });
    expect(response.status).to.equal(401);
    expectError(response, 'UNAUTHENTICATED');
  });

  it('a header, path or subdomain naming another tenant is TENANT_MISMATCH; naming its own tenant is fine', async () => {
    const { secret } = await createKey(acme, Role.VIEWER);
    for (const options of [
      withKey(secret, { headers: { 'x-tenant-slug': globex.slug } }),
      withKey(secret, { headers: { 'x-tenant-id': globex.id } }),
      withKey(secret, { path: `/t/${globex.slug}/graphql` }),
    ]) {
      expectError(await execute(CurrentTenantDocument, {}, options), 'TENANT_MISMATCH');
    }
    const otherSubdomain = await postWithHost(`${globex.slug}.tessera.test`, secret);
    expect(otherSubdomain.body.errors?.[0]?.extensions?.code, JSON.stringify(otherSubdomain.body)).to.equal('TENANT_MISMATCH');
    const ownSubdomain = await postWithHost(`${acme.slug}.tessera.test`, secret);
    expect(ownSubdomain.body.data?.currentTenant?.id, JSON.stringify(ownSubdomain.body)).to.equal(acme.id);
    const agreeing = await execute(
      CurrentTenantDocument,
      {},
      withKey(secret, { path: `/t/${acme.slug}/graphql`, headers: { 'x-tenant-id': acme.id } }),
    );
    expect(ok(agreeing).currentTenant?.id).to.equal(acme.id);
  });

  it('revoked, expired, unknown and malformed keys are UNAUTHENTICATED (401)', async () => {
    const revoked = await createKey(acme, Role.VIEWER);
    ok(await execute(CurrentTenantDocument, {}, withKey(revoked.secret)));
    const result = ok(await execute(RevokeApiKeyDocument, { id: revoked.id }, { token: acme.token })).revokeApiKey;
    expect(result?.active).to.equal(false);
    expect(result?.revokedAt).to.be.a('string');

    const expired = await createKey(acme, Role.VIEWER, new Date(Date.now() + 3_600_000));
    await adminQuery(`update api_keys set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' where id = $1`, [
      expired.id,
    ]);

    for (const secret of [
      revoked.secret,
      expired.secret,
      generateApiKeySecret().secret,
      'tsk_not-a-key',
      `${revoked.secret.slice(0, -1)}x`,
      '',
    ]) {
      const response = await execute(CurrentTenantDocument, {}, withKey(secret));
      expect(response.status, secret).to.equal(401);
      expectError(response, 'UNAUTHENTICATED');
    }
    const audit = await adminQuery<{ action: string }>('select action from audit_events where target_id = $1 order by created_at', [
      revoked.id,
    ]);
    expect(audit.map((event) => event.action)).to.deep.equal(['api_key.created', 'api_key.revoked']);
  });

  it("a key of tenant A never reaches tenant B's rows (guessed ids, lists, nested relations)", async () => {
    const bProject = await createProject(globex.token, 'Globex secret');
    const bTask = await createTask(globex.token, bProject, { title: 'Globex secret task' });
    const aProject = await createProject(acme.token, 'Acme visible');
    await createTask(acme.token, aProject, { title: 'Acme visible task' });
    const { secret } = await createKey(acme, Role.MANAGER);

    expect(ok(await execute(ProjectDocument, { id: bProject }, withKey(secret))).project).to.equal(null);
    expect(ok(await execute(TaskDocument, { id: bTask }, withKey(secret))).task).to.equal(null);
    const rename = await execute(UpdateProjectDocument, { id: bProject, input: { name: 'Hijacked' } }, withKey(secret));
    expect(rename.errors?.length).to.equal(1);
    const list = ok(await execute(ProjectsDocument, { first: 100 }, withKey(secret))).projects!;
    expect(list.edges.map((edge) => edge.node.name))
      .to.include('Acme visible')
      .and.not.include('Globex secret');
    const tree = JSON.stringify(ok(await execute(ProjectTreeDocument, { first: 10, tasksFirst: 10, commentsFirst: 10 }, withKey(secret))));
    expect(tree).to.include('Acme visible task').and.not.include('Globex');
    const stored = await adminOne<{ name: string }>('select name from projects where id = $1', [bProject]);
    expect(stored.name).to.equal('Globex secret');
    // Nor can B's owner see or revoke A's keys.
    const bKeys = ok(await execute(ApiKeysDocument, { first: 100 }, { token: globex.token })).apiKeys!;
    expect(bKeys.edges).to.deep.equal([]);
    const aKeyId = (await createKey(acme, Role.VIEWER)).id;
    expectError(await execute(RevokeApiKeyDocument, { id: aKeyId }, { token: globex.token }), 'NOT_FOUND');
  });

  it('records lastUsedAt off the request path, at most once a minute', async () => {
    const { id, secret } = await createKey(acme, Role.VIEWER);
    ok(await execute(CurrentTenantDocument, {}, withKey(secret)));
    const used = await waitUntil(
      async () =>
        ok(await execute(ApiKeysDocument, { first: 100 }, { token: acme.token })).apiKeys!.edges.find((edge) => edge.node.id === id)!.node,
      (node) => node.lastUsedAt !== null,
      5_000,
    );
    for (let i = 0; i < 3; i++) ok(await execute(CurrentTenantDocument, {}, withKey(secret)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const row = await adminOne<{ last_used_at: Date }>('select last_used_at from api_keys where id = $1', [id]);
    expect(row.last_used_at.toISOString()).to.equal(used.lastUsedAt);
  });

  it('rate-limits each key on its own (429 RATE_LIMITED with Retry-After)', async () => {
    const server = await startExtraServer({ RATE_LIMIT_API_KEY_PER_MINUTE: '3', BASE_DOMAIN: 'tessera.test' });
    try {
      const [first, second] = [await createKey(acme, Role.VIEWER), await createKey(acme, Role.VIEWER)];
      const post = (secret: string) =>
        fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': secret },
          body: JSON.stringify({ query: print(CurrentTenantDocument) }),
        });
      for (let i = 0; i < 3; i++) expect((await post(first.secret)).status).to.equal(200);
      const limited = await post(first.secret);
      expect(limited.status).to.equal(429);
      expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
      const body = (await limited.json()) as { errors: { extensions: { code: string } }[] };
      expect(itemAt(body.errors, 0).extensions.code).to.equal('RATE_LIMITED');
      expect((await post(second.secret)).status, 'another key has its own budget').to.equal(200);
    } finally {
      await server.stop();
    }
  });

  it('a FREE tenant gets PLAN_UPGRADE_REQUIRED naming the feature and the plan', async () => {
    const free = await provisionTenant('key-free', 'FREE');
    for (const response of [
      await execute(CreateApiKeyDocument, { input: { name: 'k', role: Role.VIEWER } }, { token: free.token }),
      await execute(ApiKeysDocument, {}, { token: free.token }),
    ]) {
      const error = expectError(response, 'PLAN_UPGRADE_REQUIRED');
      expect(error.extensions).to.deep.include({ feature: 'apiKeys', requiredPlan: 'PRO' });
    }
  });
});
