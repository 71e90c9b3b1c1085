import type { MikroORM } from '@mikro-orm/postgresql';
import { inTenantTransaction } from '../../../engine/tenancy/tenant-session.js';
import type { AppPubSub } from '../../../engine/pubsub/pubsub.js';
import { Notification } from '../notification.entity.js';
import { notificationTopic, toNotificationEvent } from '../notification.events.js';
import type { NotificationDelivery, NotificationProvider } from '../notification-provider.js';

/** Stores the notification row in its own tenant transaction, then announces it to live subscribers. */
export class InAppProvider implements NotificationProvider {
  readonly channel = 'inApp';

  constructor(
    private readonly orm: MikroORM,
    private readonly pubSub: AppPubSub,
  ) {}

  async send({ notification }: NotificationDelivery): Promise<void> {
    const { id, tenantId, userId, kind, title, body, data, createdAt } = notification;
    const stored = await inTenantTransaction(this.orm.em, tenantId, async (em) => {
      const row = em.create(Notification, { id, userId, kind, title, body, data, createdAt });
      await em.flush();
      return row;
    });
    this.pubSub.publish(notificationTopic(tenantId, userId), toNotificationEvent(stored));
  }
}
