import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Connection } from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import { Notification } from './notification.entity.js';
import { listNotifications, markNotificationRead } from './notification.service.js';
import { NotificationConnection, NotificationsArgs } from './notification.types.js';

@Resolver()
export class NotificationResolver {
  @Query(() => NotificationConnection, { nullable: true, description: 'Your own notifications in this tenant, newest first.' })
  notifications(@Args(() => NotificationsArgs) args: NotificationsArgs, @Ctx() ctx: RequestContext): Promise<Connection<Notification>> {
    return listNotifications(ctx, args);
  }

  @Mutation(() => Notification, { nullable: true, description: 'Marks one of your notifications read (idempotent).' })
  markNotificationRead(
    @Arg('id', () => ID, { description: 'One of your notifications; NOT_FOUND otherwise.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Notification> {
    return markNotificationRead(ctx, id);
  }
}
