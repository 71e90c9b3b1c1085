import type { Notification } from './notification.entity.js';

/** The pub/sub topic of one member's notifications; the tenant id is part of it, as in every topic. */
export function notificationTopic(tenantId: string, userId: string): `notifications:${string}` {
  return `notifications:${tenantId}:${userId}`;
}

/** What `notificationReceived` subscribers get: plain JSON, it crosses processes through Redis. */
export type NotificationEvent = {
  id: string;
  tenantId: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
};

declare module '../../engine/pubsub/pubsub.js' {
  interface TopicMap {
    [topic: `notifications:${string}`]: NotificationEvent;
  }
}

export function toNotificationEvent(notification: Notification): NotificationEvent {
  const { id, tenantId, userId, kind, title, body, data, createdAt } = notification;
  return { id, tenantId, userId, kind, title, body, data, createdAt: createdAt.toISOString() };
}
