import { afterCursor, NEWEST_FIRST, pageSize, toConnection, type Connection } from '../../engine/graphql/connection.js';
import { actorOf } from '../../engine/identity/actor.js';
import { NotFoundError } from '../../engine/graphql/errors.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import type { RequestContext } from '../../engine/context.js';
import { Notification } from './notification.entity.js';
import type { NotificationsArgs } from './notification.types.js';

/** The caller's own notifications in the tenant, newest first. */
export async function listNotifications(ctx: RequestContext, args: NotificationsArgs): Promise<Connection<Notification>> {
  const first = pageSize(args);
  const own = { userId: actorOf(ctx).id, ...(args.unreadOnly ? { readAt: null } : {}) };
  const rows = await ctx.em.find(Notification, { ...own, ...afterCursor(args.after) }, { orderBy: NEWEST_FIRST, limit: first + 1 });
  return toConnection(rows, first, () => ctx.em.count(Notification, own), Boolean(args.after));
}

/** Marks one of the caller's notifications read; anybody else's looks missing. */
export async function markNotificationRead(ctx: RequestContext, id: string): Promise<Notification> {
  const notification = await ctx.em.findOne(Notification, { id: requireUuid(id, 'id'), userId: actorOf(ctx).id });
  if (!notification) throw new NotFoundError('Notification');
  notification.readAt ??= new Date();
  await ctx.em.flush();
  return notification;
}
