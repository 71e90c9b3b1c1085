import type { EventArgs, EventSubscriber } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CoalescingCache, type LookupOptions } from '../caching/coalescing-cache.js';
import type { AfterCommitQueue } from '../db/after-commit.js';
import type { Logger } from '../observability/logger.js';
import type { AppPubSub } from '../pubsub/pubsub.js';
import { inTenantTransaction } from '../tenancy/tenant-session.js';
import { Membership } from './membership.entity.js';
import type { Role } from './roles.js';

const MEMBERSHIP_CHANGES_TOPIC = 'memberships:changed';

declare module '../pubsub/pubsub.js' {
  interface TopicMap {
    'memberships:changed': { tenantId: string; userId: string };
  }
}

const MAX_ENTRIES = 50_000;

/**
 * Roles of users in tenants for long-lived subscribers, whose every event is checked again: read
 * once, then from memory until a membership of that user in that tenant changes (any process:
 * through pub/sub, after the change commits) or the entry expires (a live subscriber's check may
 * then be answered from the expired entry while it is re-read: `LookupOptions`). Not for requests: those read
 * the membership in their own transaction. Concurrent misses of one (tenant, user) share one read
 * (`CoalescingCache`), so subscribers whose entries expire together cost one read each, not a burst.
 */
export class MembershipCache implements EventSubscriber<Membership> {
  private readonly roles: CoalescingCache<Role | null>;

  constructor(
    private readonly orm: MikroORM,
    ttlMs: number,
    private readonly pubSub: AppPubSub,
    private readonly afterCommit: AfterCommitQueue,
    onRefreshFailed: (error: unknown) => void = () => {},
  ) {
    this.roles = new CoalescingCache({ ttlMs, maxEntries: MAX_ENTRIES, onRefreshFailed });
  }

  /** Listens to membership writes of `orm` (create, role change, removal) and to other processes' changes. */
  static attach(
    orm: MikroORM,
    ttlMs: number,
    pubSub: AppPubSub,
    afterCommit: AfterCommitQueue,
    log: Logger,
  ): { cache: MembershipCache; stop(): Promise<void> } {
    const cache = new MembershipCache(orm, ttlMs, pubSub, afterCommit, (error) =>
      log.warn({ err: error }, 'membership refresh failed: serving the expired role meanwhile'),
    );
    orm.em.getEventManager().registerSubscriber(cache);
    const changes = pubSub.subscribe(MEMBERSHIP_CHANGES_TOPIC);
    void (async () => {
      for await (const change of changes) cache.forget(change.tenantId, change.userId);
    })().catch((error: unknown) => log.error({ err: error }, 'membership change feed stopped'));
    return {
      cache,
      async stop() {
        await changes.return?.();
      },
    };
  }

  /**
   * The user's role in the tenant, or null when not a member; the tenant is named explicitly, never
   * taken from a filter. `serveStale`: see `LookupOptions` (the per-event check of a live subscriber).
   */
  roleOf(tenantId: string, userId: string, options?: LookupOptions): Promise<Role | null> {
    return this.roles.get(MembershipCache.key(tenantId, userId), () => this.read(tenantId, userId), options);
  }

  /** Forgets the role after a change; a read of it in flight is not cached either. */
  forget(tenantId: string, userId: string): void {
    this.roles.forget(MembershipCache.key(tenantId, userId));
  }

  private static key(tenantId: string, userId: string): string {
    return `${tenantId}:${userId}`;
  }

  private async read(tenantId: string, userId: string): Promise<Role | null> {
    const membership = await inTenantTransaction(
      this.orm.em,
      tenantId,
      (em) => em.findOne(Membership, { user: userId, tenantId }, { disableIdentityMap: true }),
      userId,
    );
    return membership?.role ?? null;
  }

  getSubscribedEntities() {
    return [Membership];
  }

  afterCreate(args: EventArgs<Membership>): void {
    this.changed(args);
  }

  afterUpdate(args: EventArgs<Membership>): void {
    this.changed(args);
  }

  afterDelete(args: EventArgs<Membership>): void {
    this.changed(args);
  }

  /** Forgotten here at once, and everywhere (this process included) once the change commits. */
  private changed({ entity, em }: EventArgs<Membership>): void {
    const tenantId = entity.tenantId;
    const userId = typeof entity.user === 'string' ? entity.user : entity.user.id;
    this.forget(tenantId, userId);
    this.afterCommit.schedule(em, () => {
      this.forget(tenantId, userId);
      this.pubSub.publish(MEMBERSHIP_CHANGES_TOPIC, { tenantId, userId });
    });
  }
}
