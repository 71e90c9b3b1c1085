import { Resolver, Root, Subscription } from 'type-graphql';
import { SubscriberGuard } from '../../engine/authorization/subscriber-guard.js';
import type { RequestContext } from '../../engine/context.js';
import { Role } from '../../engine/identity/roles.js';
import { Notification } from './notification.entity.js';
import { notificationTopic, type NotificationEvent } from './notification.events.js';
import { tenantContextOf } from '../../engine/tenancy/tenant-context.js';

function toNotification(event: NotificationEvent): Notification {
  return Object.assign(new Notification(), { ...event, createdAt: new Date(event.createdAt), readAt: null });
}

/** The caller's own new notifications in the request's tenant. */
async function notificationsReceived(ctx: RequestContext): Promise<AsyncIterable<Notification>> {
  const guard = await SubscriberGuard.open(ctx, Role.VIEWER);
  const { tenant, user } = tenantContextOf(ctx);
  const tenantId = tenant.id;
  const userId = user.id;
  return guard.stream(
    notificationTopic(tenantId, userId),
    (event) => event.tenantId === tenantId && event.userId === userId,
    toNotification,
  );
}

@Resolver()
export class NotificationSubscriptionResolver {
  @Subscription(() => Notification, {
    description: 'Your notifications in this tenant, as they are delivered.',
    subscribe: ({ context }) => notificationsReceived(context as RequestContext),
  })
  notificationReceived(@Root() notification: Notification): Notification {
    return notification;
  }
}
