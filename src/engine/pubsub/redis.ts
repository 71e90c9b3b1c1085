import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

/**
 * An ioredis client whose outages are logged once: "redis unavailable" on the first error,
 * "redis reconnected" when it is ready again (ioredis retries every few hundred ms, and an
 * unhandled 'error' would crash the process).
 */
export function connectRedis(url: string, log: Logger, role: 'cache' | 'publish' | 'subscribe'): Redis {
  // Commands of concurrent requests issued in the same tick (rate limits, API-call quota) go out
  // in one write and their replies come back in one read: fewer syscalls under load. Not for
  // the subscriber connection, whose commands are not request-driven.
  const client = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: role !== 'subscribe' });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: error, role }, 'redis unavailable');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ role }, 'redis reconnected');
  });
  return client;
}

/** Closes after pending commands are answered; a connection already gone is fine. */
export async function closeRedis(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
