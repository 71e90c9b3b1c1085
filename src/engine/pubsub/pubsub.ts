import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Logger } from '../observability/logger.js';
import { closeRedis, connectRedis } from './redis.js';

/**
 * Topic names carry the tenant id, so a subscriber can only ever be attached to its own tenant's
 * stream; payloads are plain JSON (they cross processes through Redis).
 */
export type Topics = Record<string, [Record<string, unknown>]>;

export type AppPubSub = PubSub<Topics>;

export interface PubSubHandle {
  pubSub: AppPubSub;
  close(): Promise<void>;
}

/** Redis-backed when a URL is given (any gateway serves any subscriber), else in-process (schema emission, zero-setup). */
export function createAppPubSub(redisUrl: string | undefined, log?: Logger): PubSubHandle {
  if (!redisUrl || !log) return { pubSub: createPubSub<Topics>(), close: async () => {} };
  const publishClient = connectRedis(redisUrl, log, 'publish');
  const subscribeClient = connectRedis(redisUrl, log, 'subscribe');
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubSub: createPubSub<Topics>({ eventTarget }),
    close: async () => {
      await Promise.all([closeRedis(publishClient), closeRedis(subscribeClient)]);
    },
  };
}
