import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Logger } from '../observability/logger.js';
import { closeRedis, connectRedis } from './redis.js';

/**
 * Every topic name (a pattern) and the payload published on it. Topic names carry the tenant id,
 * so a subscriber can only ever be attached to its own tenant's stream; payloads are plain JSON
 * (they cross processes through Redis). The engine declares none here: each owner of a topic adds
 * it by declaration merging next to its publisher, e.g.
 * `declare module '../../engine/pubsub/pubsub.js' { interface TopicMap { [topic: `tasks:${string}`]: TaskEventMessage } }`,
 * so publish and subscribe are typed end to end while the engine still imports no module.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface TopicMap {}

/** A topic name some publisher declared. */
export type TopicName = Extract<keyof TopicMap, string>;

export type Topics = { [K in TopicName]: [TopicMap[K]] };

export type AppPubSub = PubSub<Topics>;

/**
 * Subscribes to a declared topic from code that is generic over the topic (the subscriber guard).
 * graphql-yoga's return type is a conditional that TypeScript cannot resolve for a generic key;
 * for our one-payload topics it is exactly `TopicMap[K]`.
 */
export function subscribeTo<K extends TopicName>(pubSub: AppPubSub, topic: K): AsyncIterableIterator<TopicMap[K]> {
  return pubSub.subscribe(topic) as AsyncIterableIterator<TopicMap[K]>;
}

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
