import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

/**
 * An ioredis client whose outages are logged once: "redis unavailable" on the first error,
 * "redis reconnected" when it is ready again (ioredis retries every few hundred ms, and an
 * unhandled 'error' would crash the process).
 */
export function connectRedis(url: string, log: Logger, role: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
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
