import { expect } from 'chai';
import { createRequestContext, finishRequestContext } from '../../../src/engine/context.js';
import { Role } from '../../../src/engine/identity/roles.js';
import { notificationTopic, type NotificationEvent } from '../../../src/modules/notifications/notification.events.js';
import { notifyTaskAssigned } from '../../../src/modules/notifications/notification.triggers.js';
import { MarkNotificationReadDocument, NotificationsDocument } from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { execute, expectError, ok } from '../../support/client.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { accept, invite, newEmail } from '../../support/members.js';
import { notificationsDelivered, sendNotification } from '../../support/notifications.js';
import { adminQuery } from '../../support/sql.js';
import { notificationDispatcher } from '../../../src/modules/notifications/notification-dispatcher.js';
import { itemAt } from '../../support/lists.js';

async function storedKinds(tenant: TestTenant, userId: string): Promise<string[]> {
  const rows = await adminQuery<{ kind: string }>(
    'select kind from notifications where tenant_id = $1 and user_id = $2 order by created_at',
    [tenant.id, userId],
  );
  return rows.map((row) => row.kind);
}

describe('notifications', () => {
  let acme: TestTenant;
  let member: TestMember;

  before(async () => {
    acme = await provisionTenant('notes');
    member = await addMember(acme, Role.MEMBER);
  });

  it('tells the inviter when an invite is accepted, in-app and live on the pub/sub topic', async () => {
    const { services } = testEnv();
    const events = services.pubSub.subscribe(notificationTopic(acme.id, acme.ownerId))[Symbol.asyncIterator]();
    const nextEvent = events.next();
    const { token } = await invite(acme.token, newEmail(acme), Role.VIEWER);
    const joined = await accept(token, undefined, 'Vera Viewer');
    await notificationsDelivered();

    const list = ok(await execute(NotificationsDocument, {}, { token: acme.token })).notifications!;
    const latest = itemAt(list.edges, 0).node;
    expect(latest).to.include({ kind: 'invite.accepted', title: 'Vera Viewer accepted your invite', read: false, readAt: null });
    expect(latest.data).to.deep.include({ userId: joined.user.id, role: 'VIEWER' });

    const { value } = await nextEvent;
    await events.return?.();
    const event = value as NotificationEvent;
    expect(event).to.deep.include({ id: latest.id, tenantId: acme.id, userId: acme.ownerId, kind: 'invite.accepted' });
    expect(JSON.parse(JSON.stringify(event))).to.deep.equal(event);
  });

  it('marks read (idempotently) and filters unread', async () => {
    const first = await sendNotification({ tenantId: acme.id, userId: member.id, kind: 'test.one', title: 'One', body: 'First' });
    const second = await sendNotification({ tenantId: acme.id, userId: member.id, kind: 'test.two', title: 'Two' });
    const marked = ok(await execute(MarkNotificationReadDocument, { id: first }, { token: member.token })).markNotificationRead!;
    expect(marked.read).to.equal(true);
    const again = ok(await execute(MarkNotificationReadDocument, { id: first }, { token: member.token })).markNotificationRead!;
    expect(again.readAt).to.equal(marked.readAt);

    const unread = ok(await execute(NotificationsDocument, { unreadOnly: true }, { token: member.token })).notifications!;
    expect(unread.edges.map((edge) => edge.node.id)).to.deep.equal([second]);
    expect(unread.totalCount).to.equal(1);
    const all = ok(await execute(NotificationsDocument, { first: 1 }, { token: member.token })).notifications!;
    expect(all.totalCount).to.equal(2);
    expect(all.pageInfo.hasNextPage).to.equal(true);
    const rest = ok(await execute(NotificationsDocument, { after: all.pageInfo.endCursor }, { token: member.token })).notifications!;
    expect([...all.edges, ...rest.edges].map((edge) => edge.node.id)).to.deep.equal([second, first]);
  });

  it('answers BAD_USER_INPUT for a malformed id or cursor', async () => {
    expectError(await execute(MarkNotificationReadDocument, { id: 'not-an-id' }, { token: member.token }), 'BAD_USER_INPUT');
    expectError(await execute(NotificationsDocument, { after: '!!' }, { token: member.token }), 'BAD_USER_INPUT');
  });

  it("drops a notification for someone who is not a member, and removes a member's notifications with them", async () => {
    const leaving = await addMember(acme, Role.VIEWER);
    await sendNotification({ tenantId: acme.id, userId: leaving.id, kind: 'test.bye', title: 'Bye' });
    await adminQuery('delete from memberships where tenant_id = $1 and user_id = $2', [acme.id, leaving.id]);
    expect(await storedKinds(acme, leaving.id)).to.deep.equal([]);

    await testEnv()
      .services.get(notificationDispatcher)
      .deliver({ tenantId: acme.id, userId: leaving.id, kind: 'test.ghost', title: 'Ghost' });
    expect(await storedKinds(acme, leaving.id)).to.deep.equal([]);
  });

  describe('notifyTaskAssigned (for the tasks module)', () => {
    async function assignInRequest(actorToken: string, assigneeId: string, succeeded: boolean, title: string): Promise<void> {
      const { services } = testEnv();
      const ctx = await createRequestContext(services, { headers: { authorization: `Bearer ${actorToken}` } });
      await notifyTaskAssigned(
        ctx,
        { id: '11111111-1111-4111-8111-111111111111', title, projectId: '22222222-2222-4222-8222-222222222222' },
        assigneeId,
      );
      // No fixed sleep: wait until the worker has delivered every job it can see. A job enqueued
      // outside the request's transaction would be among them, and stored by now.
      await notificationsDelivered();
      expect(await storedKinds(acme, assigneeId), 'nothing before the commit').not.to.include('task.assigned');
      await finishRequestContext(ctx, succeeded);
      await notificationsDelivered();
    }

    it('delivers only after the request transaction commits', async () => {
      const assignee = await addMember(acme, Role.MEMBER);
      await assignInRequest(acme.token, assignee.id, true, 'Ship it');
      const [row] = await adminQuery('select kind, title, data from notifications where tenant_id = $1 and user_id = $2', [
        acme.id,
        assignee.id,
      ]);
      expect(row).to.deep.equal({
        kind: 'task.assigned',
        title: 'New task: Ship it',
        data: { taskId: '11111111-1111-4111-8111-111111111111', projectId: '22222222-2222-4222-8222-222222222222' },
      });
    });

    it('sends nothing when the transaction rolls back, or when you assign yourself', async () => {
      const assignee = await addMember(acme, Role.MEMBER);
      await assignInRequest(acme.token, assignee.id, false, 'Never happened');
      await assignInRequest(assignee.token, assignee.id, true, 'My own');
      expect(await storedKinds(acme, assignee.id)).to.deep.equal([]);
    });
  });
});
