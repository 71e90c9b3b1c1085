import { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { AfterCommitQueue } from './db/after-commit.js';
import type { OrmConfigFactory } from './db/orm-options.js';
import { assertSafeAppRole } from './db/role-check.js';
import { RateLimits } from './http/rate-limit.js';
import { CallerCache, CallerChangeSubscriber, followCallerChanges } from './identity/caller-cache.js';
import { TokenService } from './identity/tokens.js';
import type { ServiceKey, TesseraModule } from './module.js';
import type { Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { createAppPubSub, type AppPubSub } from './pubsub/pubsub.js';
import { closeRedis, connectRedis } from './pubsub/redis.js';
import { followTenantChanges } from './tenancy/tenant-changes.js';
import { TenantDirectory } from './tenancy/tenant-directory.js';
import { MembershipCache } from './identity/membership-cache.js';
import { JobOutboxRelay } from './jobs/job-outbox.js';

/** Platform operations are rare and audited: a small pool of their own. */
const PLATFORM_POOL_MAX = 2;

/** Process-wide singletons: connections, caches and signers. Nothing here belongs to a tenant. */
export interface AppServices {
  readonly config: Config;
  readonly log: Logger;
  readonly orm: MikroORM;
  /** The platform role's pool (audited cross-tenant reads); absent when no platform URL is configured. */
  readonly platformOrm: MikroORM | null;
  /** The features this process serves: the schema, shield rules and job tasks derive from them. */
  readonly modules: readonly TesseraModule[];
  readonly tokens: TokenService;
  readonly tenants: TenantDirectory;
  /** The caller's membership (role) and user per (tenant, user), evicted on change in every process. */
  readonly callers: CallerCache;
  readonly pubSub: AppPubSub;
  /** Absent without REDIS_URL (zero-setup: single process). */
  readonly redis: Redis | null;
  readonly rateLimits: RateLimits;
  readonly metrics: Metrics;
  /** Side effects (events, notifications) that must wait for a transaction to commit. */
  readonly afterCommit: AfterCommitQueue;
  /** Roles for long-lived subscribers, invalidated by membership changes in any process. */
  readonly memberships: MembershipCache;
  /** Moves the jobs this process's transactions wrote to the outbox into the queue. */
  readonly jobOutbox: JobOutboxRelay;
  /** A module's process singleton, created on first use. */
  get<T>(key: ServiceKey<T>): T;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Config;
  log: Logger;
  modules: readonly TesseraModule[];
  /** `mikro-orm.config.ts`'s factory: the ORM options for a connection URL. */
  ormConfig: OrmConfigFactory;
  /** The app role's connection (owns nothing, cannot bypass RLS). */
  databaseUrl: string;
  /** The platform role's connection; without it platform operations answer FORBIDDEN. */
  platformDatabaseUrl?: string;
  jwtSecret: string;
}

/** Connects everything and refuses to run on a database role that could bypass row-level security. */
export async function createServices(options: ServiceOptions): Promise<AppServices> {
  const { config, log, modules } = options;
  const { poolMax, acquireTimeoutMs, statementTimeoutMs, idleInTransactionTimeoutMs } = config.database;
  const limits = { acquireTimeoutMs, statementTimeoutMs, idleInTransactionTimeoutMs };
  const orm = await MikroORM.init(options.ormConfig({ clientUrl: options.databaseUrl, poolMax, limits }));
  let platformOrm: MikroORM | null = null;
  try {
    await assertSafeAppRole(orm.em.fork());
    if (options.platformDatabaseUrl) {
      platformOrm = await MikroORM.init(options.ormConfig({ clientUrl: options.platformDatabaseUrl, poolMax: PLATFORM_POOL_MAX, limits }));
      await assertSafeAppRole(platformOrm.em.fork());
    }
  } catch (error) {
    await platformOrm?.close(true);
    await orm.close(true);
    throw error;
  }
  if (!config.redisUrl) log.warn('REDIS_URL is not set: cache, pub/sub and rate limits are in-process (single process only)');
  const redis = config.redisUrl ? connectRedis(config.redisUrl, log, 'cache') : null;
  const pubSubHandle = createAppPubSub(config.redisUrl, log);
  const metrics = new Metrics();
  const tenants = new TenantDirectory(
    orm,
    config.tenantCacheTtlMs,
    (result) => metrics.tenantCache.inc({ result }),
    (error) => log.warn({ err: error }, 'tenant refresh failed: serving the expired tenant meanwhile'),
  );
  const stopFollowingTenants = followTenantChanges(pubSubHandle.pubSub, tenants, log);
  const callers = new CallerCache(config.tenantCacheTtlMs);
  const stopFollowingCallers = followCallerChanges(pubSubHandle.pubSub, callers, log);
  const afterCommit = AfterCommitQueue.attachTo(orm);
  orm.em.getEventManager().registerSubscriber(new CallerChangeSubscriber(callers, pubSubHandle.pubSub, afterCommit));
  const moduleServices = new Map<ServiceKey<unknown>, unknown>();
  const memberships = MembershipCache.attach(orm, config.tenantCacheTtlMs, pubSubHandle.pubSub, afterCommit, log);
  const jobOutbox = JobOutboxRelay.attachTo(orm, log);

  const services: AppServices = {
    config,
    log,
    orm,
    platformOrm,
    modules,
    tokens: new TokenService(options.jwtSecret, config.jwt.ttlSeconds),
    tenants,
    callers,
    pubSub: pubSubHandle.pubSub,
    redis,
    rateLimits: new RateLimits(redis, config.rateLimits),
    metrics,
    afterCommit,
    memberships: memberships.cache,
    jobOutbox,
    get<T>(key: ServiceKey<T>): T {
      if (!moduleServices.has(key)) moduleServices.set(key, key.create(services));
      return moduleServices.get(key) as T;
    },
    async close() {
      await stopFollowingTenants();
      await memberships.stop();
      await stopFollowingCallers();
      for (const [key, instance] of [...moduleServices].reverse()) await key.close?.(instance);
      await jobOutbox.close();
      await pubSubHandle.close();
      if (redis) await closeRedis(redis);
      await platformOrm?.close(true);
      await orm.close(true);
    },
  };
  for (const key of modules.flatMap((module) => module.services ?? [])) services.get(key);
  return services;
}
