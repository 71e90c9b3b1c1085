import { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { TokenService } from './auth/tokens.js';
import { RateLimits } from './common/rate-limit.js';
import type { Config } from './config.js';
import { AfterCommitQueue } from './db/after-commit.js';
import { ormOptions } from './db/orm-options.js';
import { assertSafeAppRole } from './db/role-check.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { createBillingClient, type BillingClient } from './modules/billing/billing-client.js';
import { followTenantChanges } from './modules/tenants/tenant-changes.js';
import { NotificationDispatcher } from './modules/notifications/notification-dispatcher.js';
import { defaultNotificationProviders } from './modules/notifications/notification-providers.js';
import { TenantDirectory } from './modules/tenants/tenant-directory.js';
import { createAppPubSub, type AppPubSub } from './pubsub.js';
import { closeRedis, connectRedis } from './redis.js';

/** Process-wide singletons: connections, caches and signers. Nothing here belongs to a tenant. */
export interface AppServices {
  readonly config: Config;
  readonly log: Logger;
  readonly orm: MikroORM;
  readonly tokens: TokenService;
  readonly tenants: TenantDirectory;
  readonly pubSub: AppPubSub;
  /** Absent without REDIS_URL (zero-setup: single process). */
  readonly redis: Redis | null;
  readonly rateLimits: RateLimits;
  readonly metrics: Metrics;
  /** Null when billing is not configured. */
  readonly billing: BillingClient | null;
  /** Delivers notifications (in the deliver-notification job). */
  readonly notifications: NotificationDispatcher;
  /** Side effects (events, notifications) that must wait for a transaction to commit. */
  readonly afterCommit: AfterCommitQueue;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Config;
  log: Logger;
  /** The app role's connection (owns nothing, cannot bypass RLS). */
  databaseUrl: string;
  jwtSecret: string;
}

/** Connects everything and refuses to run on a database role that could bypass row-level security. */
export async function createServices({ config, log, databaseUrl, jwtSecret }: ServiceOptions): Promise<AppServices> {
  const orm = await MikroORM.init(ormOptions({ clientUrl: databaseUrl, poolMax: config.database.poolMax }));
  try {
    await assertSafeAppRole(orm.em.fork());
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  if (!config.redisUrl) log.warn('REDIS_URL is not set: cache, pub/sub and rate limits are in-process (single process only)');
  const redis = config.redisUrl ? connectRedis(config.redisUrl, log, 'cache') : null;
  const pubSubHandle = createAppPubSub(config.redisUrl, log);
  const metrics = new Metrics();
  const tenants = new TenantDirectory(orm, config.tenantCacheTtlMs, (result) => metrics.tenantCache.inc({ result }));
  const stopFollowingTenants = followTenantChanges({ pubSub: pubSubHandle.pubSub, tenants, log });
  const afterCommit = AfterCommitQueue.attachTo(orm);
  const notifications = new NotificationDispatcher(orm, defaultNotificationProviders(config, orm, pubSubHandle.pubSub), log);
  return {
    config,
    log,
    orm,
    tokens: new TokenService(jwtSecret, config.jwt.ttlSeconds),
    tenants,
    pubSub: pubSubHandle.pubSub,
    redis,
    rateLimits: new RateLimits(redis, config.rateLimits),
    metrics,
    billing: createBillingClient(config.billing),
    notifications,
    afterCommit,
    async close() {
      await stopFollowingTenants();
      await notifications.close();
      await pubSubHandle.close();
      if (redis) await closeRedis(redis);
      await orm.close(true);
    },
  };
}
