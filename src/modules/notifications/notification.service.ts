import type { Connection } from '../../engine/graphql/connection.js';
import { paginate } from '../../engine/graphql/paginate.js';
import { requireFound } from '../../engine/graphql/require-found.js';
import { requireUuid } from '../../engine/graphql/uuid.js';
import type { RequestContext } from '../../engine/context.js';
import { Notification } from './notification.entity.js';
import type { NotificationsArgs } from './notification.types.js';
import { actorOf } from '../../engine/identity/actor.js';

/** The caller's own notifications in the tenant, newest first. */
export function listNotifications(ctx: RequestContext, args: NotificationsArgs): Promise<Connection<Notification>> {
  const own = { userId: actorOf(ctx).id, ...(args.unreadOnly ? { readAt: null } : {}) };
  return paginate(ctx.em, Notification, args, { where: own });
}

/** Marks one of the caller's notifications read; anybody else's looks missing. */
export async function markNotificationRead(ctx: RequestContext, id: string): Promise<Notification> {
  const notification = requireFound(
    await ctx.em.findOne(Notification, { id: requireUuid(id, 'id'), userId: actorOf(ctx).id }),
    'Notification',
  );
  notification.readAt ??= new Date();
  await ctx.em.flush();
  return notification;
}
