import { defineModule } from '../../engine/module.js';
import { notificationDispatcher } from './notification-dispatcher.js';
import { Notification } from './notification.entity.js';
import { notificationTasks } from './notification.jobs.js';
import { NotificationResolver } from './notification.resolver.js';
import { notificationRules } from './notification.rules.js';
import { NotificationSubscriptionResolver } from './notification-subscription.resolver.js';

/** In-app, e-mail and Slack notifications, and their live subscription. */
export const notificationsModule = defineModule({
  name: 'notifications',
  entities: [Notification],
  resolvers: [NotificationResolver, NotificationSubscriptionResolver],
  rules: notificationRules,
  tasks: notificationTasks,
  services: [notificationDispatcher],
});
