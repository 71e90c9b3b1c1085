import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AfterCommitQueue } from '../../db/after-commit.js';
import { inTenantTransaction } from '../../db/tenant-transaction.js';
import { requestLogStore, type Logger } from '../../logger.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Membership } from '../users/membership.entity.js';
import { channelsFor, type NotificationDelivery, type NotificationInput, type NotificationProvider } from './notification-provider.js';
import { notificationSettingsOf } from './notification-settings.js';

const TITLE_MAX = 200;
const BODY_MAX = 5000;

export interface NotifyOptions {
  /** The transaction the notification is about: nothing is sent until it commits, nor ever if it rolls back. */
  afterCommitOf?: EntityManager;
}

/**
 * Delivers notifications in the background, outside any request transaction, on every channel the
 * tenant turned on (in-app always). The input is plain JSON carrying its tenant id and `deliver`
 * builds its own tenant-scoped transaction, so moving onto a durable job (graphile-worker) means:
 * `notify` enqueues `deliver-notification` with the same payload in the request transaction, and
 * that task calls `deliver`.
 */
export class NotificationDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly afterCommit: AfterCommitQueue;

  constructor(
    private readonly orm: MikroORM,
    private readonly providers: NotificationProvider[],
    private readonly log: Logger,
    afterCommit?: AfterCommitQueue,
  ) {
    this.afterCommit = afterCommit ?? AfterCommitQueue.attachTo(orm);
  }

  /** Starts delivering `input`, after `afterCommitOf` commits when given; never waits for it. */
  notify(input: NotificationInput, options: NotifyOptions = {}): void {
    const start = () => this.track(input, this.inOwnLogContext(input, () => this.deliver(input)));
    if (options.afterCommitOf) this.afterCommit.schedule(options.afterCommitOf, start);
    else start();
  }

  /** Delivers one notification; a failing channel is logged and does not stop the others. */
  async deliver(input: NotificationInput): Promise<void> {
    const delivery = await this.resolve(input);
    if (!delivery) {
      this.log.info({ tenant_id: input.tenantId, kind: input.kind }, 'notification dropped: recipient is not a member of a served tenant');
      return;
    }
    const channels = channelsFor(delivery.settings);
    const providers = this.providers.filter((provider) => channels.has(provider.channel));
    const results = await Promise.allSettled(providers.map((provider) => provider.send(delivery)));
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') return;
      const fields = { channel: providers[index].channel, tenant_id: input.tenantId, notification_id: delivery.notification.id };
      this.log.warn({ err: result.reason, ...fields }, 'notification channel failed');
    });
  }

  /** Resolves once every delivery started so far has settled (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    await this.drain();
    await Promise.all(this.providers.map((provider) => provider.close?.()));
  }

  private track(input: NotificationInput, delivery: Promise<void>): void {
    const tracked = delivery.catch((error: unknown) => {
      this.log.error({ err: error, tenant_id: input.tenantId, kind: input.kind }, 'notification delivery failed');
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  /** Background work logs with its own fields (and SQL count), still naming the request that caused it. */
  private inOwnLogContext<T>(input: NotificationInput, work: () => Promise<T>): Promise<T> {
    const requestId = requestLogStore.getStore()?.request_id ?? randomUUID();
    return requestLogStore.run({ request_id: requestId, tenant_id: input.tenantId, operation: `notify:${input.kind}` }, work);
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
      settings: notificationSettingsOf(tenant.settings),
    };
  }
}
