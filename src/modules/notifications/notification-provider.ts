import type { NotificationSettings } from './notification-settings.js';

export type NotificationChannel = 'inApp' | 'email' | 'slack';

/** What to tell whom: plain JSON carrying its tenant, so it can become a job payload unchanged. */
export interface NotificationInput {
  tenantId: string;
  userId: string;
  kind: string;
  title: string;
  body?: string;
  data?: Record<string, unknown>;
}

/** One notification, resolved for sending: the same id and text on every channel. */
export interface NotificationDelivery {
  notification: Required<NotificationInput> & { id: string; createdAt: Date };
  recipient: { id: string; email: string; name: string };
  tenant: { id: string; name: string; slug: string };
  settings: NotificationSettings;
}

/** A way to reach a member; the dispatcher picks providers by `channel` from the tenant's settings. */
export interface NotificationProvider {
  readonly channel: NotificationChannel;
  send(delivery: NotificationDelivery): Promise<void>;
  close?(): Promise<void>;
}

/** The channels a tenant's settings turn on; in-app always. */
export function channelsFor(settings: NotificationSettings): Set<NotificationChannel> {
  const channels = new Set<NotificationChannel>(['inApp']);
  if (settings.email) channels.add('email');
  if (settings.slackWebhookUrl) channels.add('slack');
  return channels;
}
