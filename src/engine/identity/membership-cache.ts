import type { EventArgs, EventSubscriber } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
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

interface Entry {
  role: Role | null;
  expiresAt: number;
}

/**
 * Roles of users in tenants for long-lived subscribers, whose every event is checked again: read
 * once, then from memory until a membership of that user in that tenant changes (any process:
 * through pub/sub, after the change commits) or the entry expires. Not for requests: those read
 * the membership in their own transaction.
 */
export class MembershipCache implements EventSubscriber<Membership> {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly orm: MikroORM,
    private readonly ttlMs: number,
    private readonly pubSub: AppPubSub,
    private readonly afterCommit: AfterCommitQueue,
  ) {}

  /** Listens to membership writes of `orm` (create, role change, removal) and to other processes' changes. */
  static attach(
    orm: MikroORM,
    ttlMs: number,
    pubSub: AppPubSub,
    afterCommit: AfterCommitQueue,
    log: Logger,
  ): { cache: MembershipCache; stop(): Promise<void> } {
    const cache = new MembershipCache(orm, ttlMs, pubSub, afterCommit);
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

  /** The user's role in the tenant, or null when not a member; the tenant is named explicitly, never taken from a filter. */
  async roleOf(tenantId: string, userId: string): Promise<Role | null> {
    const key = `${tenantId}:${userId}`;
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.role;
    const membership = await inTenantTransaction(
      this.orm.em,
      tenantId,
      (em) => em.findOne(Membership, { user: userId, tenantId }, { disableIdentityMap: true }),
      userId,
    );
    const role = membership?.role ?? null;
    if (this.ttlMs > 0) {
      if (this.entries.size > 50_000) this.entries.clear();
      this.entries.set(key, { role, expiresAt: now + this.ttlMs });
    }
    return role;
  }

  forget(tenantId: string, userId: string): void {
    this.entries.delete(`${tenantId}:${userId}`);
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
