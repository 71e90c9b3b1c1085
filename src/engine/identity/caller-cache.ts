import type { ChangeSet, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import type { AfterCommitQueue } from '../db/after-commit.js';
import type { Logger } from '../observability/logger.js';
import type { AppPubSub } from '../pubsub/pubsub.js';
import { Membership } from './membership.entity.js';
import type { Role } from './roles.js';
import { User } from './user.entity.js';

const CALLER_CHANGES_TOPIC = 'callers:changed';

/** What the membership ⋈ user read of a request returns: the user's columns (no password hash) and the role. */
export interface CachedCaller {
  readonly role: Role;
  readonly user: Readonly<Pick<User, 'id' | 'email' | 'name' | 'isPlatformAdmin' | 'emailVerifiedAt' | 'createdAt'>>;
}

/** A changed membership (`tenantId` set) or a changed user (every tenant of `userId`). */
export interface CallerChange {
  tenantId?: string;
  userId: string;
}

declare module '../pubsub/pubsub.js' {
  interface TopicMap {
    'callers:changed': CallerChange;
  }
}

interface Entry {
  caller: CachedCaller;
  expiresAt: number;
}

/**
 * The caller's membership (role) and user row per (tenant, user), so an authenticated request does
 * not read them every time. The key always carries the tenant; only members are cached (never "not
 * a member"); every change of a membership or a user, in any process, evicts it through the Redis
 * change feed (`CallerChangeSubscriber`, `followCallerChanges`), and a short TTL bounds a change
 * that raced with a read.
 */
export class CallerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  private static key(tenantId: string, userId: string): string {
    return `${tenantId}:${userId}`;
  }

  get(tenantId: string, userId: string): CachedCaller | undefined {
    const key = CallerCache.key(tenantId, userId);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.caller;
  }

  set(tenantId: string, userId: string, caller: CachedCaller): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Oldest first (Map keeps insertion order): drop a tenth.
      let drop = Math.ceil(this.maxEntries / 10);
      for (const key of this.entries.keys()) {
        this.entries.delete(key);
        if (--drop === 0) break;
      }
    }
    this.entries.set(CallerCache.key(tenantId, userId), { caller, expiresAt: Date.now() + this.ttlMs });
  }

  invalidate(change: CallerChange): void {
    if (change.tenantId) {
      this.entries.delete(CallerCache.key(change.tenantId, change.userId));
      return;
    }
    const suffix = `:${change.userId}`;
    for (const key of this.entries.keys()) if (key.endsWith(suffix)) this.entries.delete(key);
  }
}

/** Evicts `change` here at once and tells every other process (through Redis when configured). */
export function publishCallerChange(cache: CallerCache, pubSub: AppPubSub, change: CallerChange): void {
  cache.invalidate(change);
  pubSub.publish(CALLER_CHANGES_TOPIC, { ...change });
}

/** Keeps this process's cache in step with changes made by other processes; returns a stop function. */
export function followCallerChanges(pubSub: AppPubSub, cache: CallerCache, log: Logger): () => Promise<void> {
  const changes = pubSub.subscribe(CALLER_CHANGES_TOPIC);
  void (async () => {
    for await (const change of changes) cache.invalidate(change);
  })().catch((error: unknown) => log.error({ err: error }, 'caller change feed stopped'));
  return async () => {
    await changes.return?.();
  };
}

/**
 * Every flushed change of a membership or a user (created, updated, deleted, through any
 * EntityManager) evicts the cached caller once its transaction commits, in every process.
 */
export class CallerChangeSubscriber implements EventSubscriber {
  constructor(
    private readonly cache: CallerCache,
    private readonly pubSub: AppPubSub,
    private readonly afterCommit: AfterCommitQueue,
  ) {}

  afterFlush({ em, uow }: FlushEventArgs): void {
    const changes: CallerChange[] = [];
    for (const changeSet of uow.getChangeSets() as ChangeSet<object>[]) {
      const entity = changeSet.entity;
      if (entity instanceof Membership) {
        const userId = entity.user?.id ?? (changeSet.originalEntity as { user?: string } | undefined)?.user;
        if (userId) changes.push({ tenantId: entity.tenantId, userId });
      } else if (entity instanceof User) {
        changes.push({ userId: entity.id });
      }
    }
    if (changes.length === 0) return;
    // Evict now too: a request of this process must not serve the old row until the commit.
    for (const change of changes) this.cache.invalidate(change);
    this.afterCommit.schedule(em, () => {
      for (const change of changes) publishCallerChange(this.cache, this.pubSub, change);
    });
  }
}
