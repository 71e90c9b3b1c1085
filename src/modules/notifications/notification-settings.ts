import { z } from 'zod';

/**
 * A tenant's notification channels, kept in `tenants.settings.notifications`, e.g.
 * `{ email: true, slackWebhookUrl: 'https://hooks.slack.com/services/...' }`. In-app is always on.
 * Whoever edits settings validates with this schema, and the webhook with parseOutboundUrl and
 * resolveOutboundAddress (engine/net/outbound-url.ts); the Slack sender checks it again on every send.
 */
export const notificationSettingsSchema = z.object({
  email: z.boolean().default(false),
  slackWebhookUrl: z.string().max(2000).nullable().default(null),
});

export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/** The one definition of a tenant's default channels (in-app only): the schema's own defaults. */
export const DEFAULT_NOTIFICATION_SETTINGS: Readonly<NotificationSettings> = Object.freeze(notificationSettingsSchema.parse({}));

/** The channel settings in a tenant's settings; a missing or malformed value means in-app only. */
export function notificationSettingsOf(tenantSettings: Record<string, unknown>): NotificationSettings {
  const parsed = notificationSettingsSchema.safeParse(tenantSettings.notifications ?? {});
  return parsed.success ? parsed.data : DEFAULT_NOTIFICATION_SETTINGS;
}
