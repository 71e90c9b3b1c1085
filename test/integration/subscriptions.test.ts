import type { Client } from 'graphql-ws';
import { expect } from 'chai';
import { Role } from '../../src/engine/identity/roles.js';
import { AssignTaskDocument, DeleteTaskDocument, RemoveMemberDocument, UpdateTaskDocument } from '../generated/graphql.js';
import { testEnv } from '../setup/environment.js';
import { execute, ok } from '../support/client.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../support/fixtures.js';
import { createProject, createTask } from '../support/projects.js';
import { waitUntil } from '../support/wait.js';
import { wsClient } from '../support/ws.js';
import { itemAt } from '../support/lists.js';

const TASK_CHANGED = `subscription ($projectId: ID!) {
  taskChanged(projectId: $projectId) { kind taskId projectId title status assigneeId actorId }
}`;
const NOTIFICATION_RECEIVED = `subscription { notificationReceived { id kind title data read } }`;

interface Stream<T> {
  events: T[];
  errors: unknown[];
  completed: Promise<void>;
  /** Resolves once `count` events have arrived. */
  waitFor(count: number): Promise<T[]>;
  /** Resolves once an event matching `marker` has arrived (a sentinel published after what must not arrive). */
  until(marker: (event: T) => boolean): Promise<T[]>;
  close(): Promise<void>;
}

/** Subscribes over graphql-ws and records what arrives. */
async function subscribe<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<Stream<T>> {
  const client: Client = wsClient(token);
  const events: T[] = [];
  const errors: unknown[] = [];
  let resolveDone!: () => void;
  const completed = new Promise<void>((resolve) => (resolveDone = resolve));
  client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (value) => (value.errors ? errors.push(...value.errors) : events.push(...Object.values(value.data ?? {}))),
      error: (error) => {
        errors.push(...(Array.isArray(error) ? error : [error]));
        resolveDone();
      },
      complete: resolveDone,
    },
  );
  // The subscription is live once the server has processed it; a round trip on the same socket proves it.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return {
    events,
    errors,
    completed,
    waitFor(count) {
      return waitUntil(
        async () => events,
        (seen) => seen.length >= count,
        10_000,
      );
    },
    until(marker) {
      return waitUntil(
        async () => events,
        (seen) => seen.some(marker),
        10_000,
      );
    },
    close: () => client.dispose() as Promise<void>,
  };
}

const codeOf = (errors: unknown[]) => (errors[0] as { extensions?: { code?: string } })?.extensions?.code;

describe('subscriptions (graphql-ws)', function () {
  this.timeout(30_000);
  let acme: TestTenant;
  let globex: TestTenant;
  let manager: TestMember;
  let member: TestMember;
  let projectId: string;
  const streams: Stream<unknown>[] = [];

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('sub'), provisionTenant('sub-other')]);
    [manager, member] = await Promise.all([addMember(acme, Role.MANAGER), addMember(acme, Role.MEMBER)]);
    projectId = await createProject(acme.token);
  });

  afterEach(async () => {
    await Promise.all(streams.splice(0).map((stream) => stream.close()));
  });

  describe('taskChanged(projectId)', () => {
    it("streams the project's task changes in order, as they commit", async () => {
      const stream = await subscribe<{ kind: string; taskId: string; title: string; assigneeId: string | null }>(acme.token, TASK_CHANGED, {
        projectId,
      });
      streams.push(stream);
      const taskId = await createTask(manager.token, projectId, { title: 'Write the docs' });
      ok(await execute(UpdateTaskDocument, { id: taskId, input: { title: 'Write better docs' } }, { token: manager.token }));
      ok(await execute(AssignTaskDocument, { id: taskId, assigneeId: member.id }, { token: manager.token }));
      ok(await execute(DeleteTaskDocument, { id: taskId }, { token: manager.token }));
      const events = await stream.waitFor(4);
      expect(events.map((e) => [e.kind, e.taskId])).to.deep.equal([
        ['CREATED', taskId],
        ['UPDATED', taskId],
        ['UPDATED', taskId],
        ['DELETED', taskId],
      ]);
      expect(events[1]?.title).to.equal('Write better docs');
      expect(events[2]?.assigneeId).to.equal(member.id);
    });

    it('publishes nothing for a refused change, nor for another project', async () => {
      const stream = await subscribe<{ taskId: string }>(acme.token, TASK_CHANGED, { projectId });
      streams.push(stream);
      const refused = await execute(
        AssignTaskDocument,
        { id: '00000000-0000-4000-8000-000000000000', assigneeId: member.id },
        { token: manager.token },
      );
      expect(refused.errors?.[0]?.extensions?.code).to.equal('NOT_FOUND');
      await createTask(manager.token, await createProject(acme.token));
      // The sentinel: a change the stream must see, published after the ones it must not; events
      // arrive in publish order, so once it is here anything wrongly published would be too.
      const taskId = await createTask(manager.token, projectId);
      const events = await stream.until((event) => event.taskId === taskId);
      expect(events.map((e) => e.taskId)).to.deep.equal([taskId]);
    });

    it("refuses another tenant's project like a missing one, and never leaks its events", async () => {
      const foreign = await subscribe(globex.token, TASK_CHANGED, { projectId });
      streams.push(foreign);
      await foreign.completed;
      expect(codeOf(foreign.errors)).to.equal('NOT_FOUND');
      const missing = await subscribe(globex.token, TASK_CHANGED, { projectId: '00000000-0000-4000-8000-000000000000' });
      streams.push(missing);
      await missing.completed;
      expect(codeOf(missing.errors)).to.equal('NOT_FOUND');
      // Naming acme on globex's socket is a mismatch, not a way in.
      const forged = wsClient(globex.token, { 'x-tenant-id': acme.id });
      const refused = await new Promise<unknown[]>((resolve) =>
        forged.subscribe(
          { query: TASK_CHANGED, variables: { projectId } },
          { next: () => undefined, error: (e) => resolve(e as unknown[]), complete: () => resolve([]) },
        ),
      );
      await forged.dispose();
      expect(codeOf(refused)).to.equal('TENANT_MISMATCH');
      expect(foreign.events).to.deep.equal([]);
    });

    it('refuses anonymous subscribers and subscribers without a tenant', async () => {
      const anonymous = await subscribe('', TASK_CHANGED, { projectId });
      streams.push(anonymous);
      await anonymous.completed;
      expect(codeOf(anonymous.errors)).to.equal('UNAUTHENTICATED');
      const noTenant = await subscribe(testEnv().services.tokens.sign({ sub: acme.ownerId }), TASK_CHANGED, { projectId });
      streams.push(noTenant);
      await noTenant.completed;
      expect(codeOf(noTenant.errors)).to.equal('TENANT_REQUIRED');
    });

    it('ends the stream of a member who is removed: the next event is not delivered', async () => {
      const leaving = await addMember(acme, Role.VIEWER);
      const stream = await subscribe<{ taskId: string }>(leaving.token, TASK_CHANGED, { projectId });
      streams.push(stream);
      const before = await createTask(manager.token, projectId);
      await stream.waitFor(1);
      ok(await execute(RemoveMemberDocument, { userId: leaving.id }, { token: acme.token }));
      await createTask(manager.token, projectId);
      await stream.completed;
      expect(stream.events.map((e) => e.taskId)).to.deep.equal([before]);
    });
  });

  describe('notificationReceived', () => {
    it("delivers a member's own notifications only", async () => {
      const mine = await subscribe<{ kind: string; data: { taskId: string }; read: boolean }>(member.token, NOTIFICATION_RECEIVED);
      const theirs = await subscribe<{ kind: string; data: { taskId: string } }>(manager.token, NOTIFICATION_RECEIVED);
      streams.push(mine, theirs);
      const taskId = await createTask(manager.token, projectId, { assigneeId: member.id });
      const event = itemAt(await mine.waitFor(1), 0);
      expect(event).to.deep.include({ kind: 'task.assigned', read: false });
      expect(event.data.taskId).to.equal(taskId);
      // The sentinel: a notification of their own, published after the member's; once it has
      // arrived, the member's would have too had it leaked.
      const markerId = await createTask(acme.token, projectId, { assigneeId: manager.id });
      const received = await theirs.until((notification) => notification.data.taskId === markerId);
      expect(received.map((notification) => notification.data.taskId)).to.deep.equal([markerId]);
    });
  });
});
