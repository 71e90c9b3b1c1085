import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { defineService } from '../../engine/module.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import type { Logger } from '../../engine/observability/logger.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { channelsFor, type NotificationDelivery, type NotificationInput, type NotificationProvider } from './notification-provider.js';
import { defaultNotificationProviders } from './notification-providers.js';
import { notificationSettingsOf, type NotificationSettings } from './notification-settings.js';
import type { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import { planIncludes } from '../plans/plan-catalogue.js';

const TITLE_MAX = 200;
const BODY_MAX = 5000;

/**
 * Delivers one notification on every channel the tenant turned on (in-app always), outside any
 * request: it runs in the `deliver-notification` job (notification.jobs.ts), which the request
 * enqueues in its own transaction, and builds its own tenant-scoped transaction from the payload.
 */
export class NotificationDispatcher {
  constructor(
    private readonly orm: MikroORM,
    private readonly providers: NotificationProvider[],
    private readonly log: Logger,
  ) {}

  /** Delivers one notification; a failing channel is logged and does not stop the others. */
  async deliver(input: NotificationInput): Promise<void> {
    const delivery = await this.resolve(input);
    if (!delivery) {
      this.log.info({ tenant_id: input.tenantId, kind: input.kind }, 'notification dropped: recipient is not a member of a served tenant');
      return;
    }
    const channels = channelsFor(delivery.settings);
    const providers = this.providers.filter((provider) => channels.has(provider.channel));
    // Every channel is tried; one failing does not stop the others.
    await Promise.all(
      providers.map(async (provider) => {
        try {
          await provider.send(delivery);
        } catch (error) {
          const fields = { channel: provider.channel, tenant_id: input.tenantId, notification_id: delivery.notification.id };
          this.log.warn({ err: error, ...fields }, 'notification channel failed');
        }
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.providers.map((provider) => provider.close?.() ?? Promise.resolve()));
  }

  /** The recipient, tenant and channel settings, read in the notification's own tenant transaction. */
  private async resolve(input: NotificationInput): Promise<NotificationDelivery | null> {
    const found = await inTenantTransaction(this.orm.em, input.tenantId, async (em) => {
      const tenant = await em.findOne(Tenant, { id: input.tenantId });
      if (!tenant?.isServed()) return null;
      const membership = await em.findOne(Membership, { user: input.userId }, { populate: ['user'] });
      return membership ? { tenant, user: membership.user } : null;
    });
    if (!found) return null;
    const { tenant, user } = found;
    return {
      notification: {
        ...input,
        id: randomUUID(),
        title: input.title.slice(0, TITLE_MAX),
        body: (input.body ?? '').slice(0, BODY_MAX),
        data: input.data ?? {},
        createdAt: new Date(),
      },
      recipient: { id: user.id, email: user.email, name: user.name },
      tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug },
      settings: withinPlan(notificationSettingsOf(tenant.settings), tenant.plan),
    };
  }
}

/** Slack is a plan feature: a tenant whose plan lacks it (a lapsed trial, a downgrade) keeps its setting, unused. */
function withinPlan(settings: NotificationSettings, plan: PlanCode): NotificationSettings {
  return planIncludes(plan, 'slackNotifications') ? settings : { ...settings, slackWebhookUrl: null };
}

/** The process's dispatcher over the configured channels (used by the deliver-notification job). */
export const notificationDispatcher = defineService(
  'notifications',
  ({ config, orm, pubSub, log }) => new NotificationDispatcher(orm, defaultNotificationProviders(config, orm, pubSub), log),
  (dispatcher) => dispatcher.close(),
);
