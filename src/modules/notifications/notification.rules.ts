import { canWrite, isViewer } from '../../engine/authorization/rules.js';
import { Role } from '../../engine/identity/roles.js';

export const notificationRules = {
  Query: { notifications: isViewer },
  Mutation: { markNotificationRead: canWrite(Role.VIEWER) },
  // Checked again when subscribing and while events flow (SubscriberGuard): shield only wraps resolve.
  Subscription: { notificationReceived: isViewer },
};
