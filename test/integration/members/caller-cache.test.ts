import { expect } from 'chai';
import { print } from 'graphql';
import { Role } from '../../../src/engine/identity/roles.js';
import { CreateTaskDocument, RemoveMemberDocument, UpdateMemberRoleDocument } from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { startGatewayProcess, type ChildService } from '../../support/processes.js';
import { createProject } from '../../support/projects.js';
import { waitUntil } from '../../support/wait.js';

async function post(url: string, query: string, variables: object, token: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
}

/**
 * Each gateway caches the caller's role per (tenant, user). A role change or a removal made through
 * one gateway must take effect on the next request to every other gateway (the Redis change feed).
 */
describe('the cached caller (role per tenant and user) follows membership changes in every process', function () {
  this.timeout(90_000);
  let other: ChildService & { url: string };
  let tenant: TestTenant;
  let manager: TestMember;
  let projectId: string;

  before(async () => {
    other = await startGatewayProcess();
    tenant = await provisionTenant('callers');
    manager = await addMember(tenant, Role.MANAGER);
    projectId = await createProject(tenant.token);
  });

  after(async () => {
    await other.stop();
  });

  /** Assigning a task to someone else takes MANAGER: what the other gateway thinks the role is. */
  const assignToOwner = (title: string) =>
    post(other.url, print(CreateTaskDocument), { input: { projectId, title, assigneeId: tenant.ownerId } }, manager.token);

  it('a demotion on one gateway refuses the next MANAGER action on the other; a removal refuses the member', async () => {
    // Twice: the second answer comes from the other gateway's cache.
    expect((await assignToOwner('first')).errors).to.equal(undefined);
    expect((await assignToOwner('cached')).errors).to.equal(undefined);

    const demoted = await post(
      testEnv().server.url,
      print(UpdateMemberRoleDocument),
      { userId: manager.id, role: Role.MEMBER },
      tenant.token,
    );
    expect(demoted.errors).to.equal(undefined);
    // The change feed is asynchronous: it reaches the other process within moments, not never.
    const refused = await waitUntil(
      () => assignToOwner('as member'),
      (response) => response.errors !== undefined,
      5_000,
    );
    expect(refused.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');

    const removed = await post(testEnv().server.url, print(RemoveMemberDocument), { userId: manager.id }, tenant.token);
    expect(removed.errors).to.equal(undefined);
    const own = await waitUntil(
      () => post(other.url, print(CreateTaskDocument), { input: { projectId, title: 'gone' } }, manager.token),
      (response) => response.errors !== undefined,
      5_000,
    );
    expect(own.errors?.[0]?.extensions?.code).to.be.oneOf(['FORBIDDEN', 'UNAUTHENTICATED']);
  });
});
