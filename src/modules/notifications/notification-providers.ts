import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../engine/config.js';
import type { AppPubSub } from '../../engine/pubsub/pubsub.js';
import type { NotificationProvider } from './notification-provider.js';
import { EmailProvider } from './providers/email.provider.js';
import { InAppProvider } from './providers/in-app.provider.js';
import { SlackProvider } from './providers/slack.provider.js';

/** The production channels: in-app, e-mail when an SMTP relay is configured, Slack with the public-only policy. */
export function defaultNotificationProviders(config: Config, orm: MikroORM, pubSub: AppPubSub): NotificationProvider[] {
  const { smtpUrl, from } = config.mail;
  return [new InAppProvider(orm, pubSub), ...(smtpUrl ? [new EmailProvider({ smtpUrl, from })] : []), new SlackProvider()];
}
