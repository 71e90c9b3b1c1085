import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

/** An ioredis client whose connection errors are logged (an unhandled 'error' would crash the process). */
export function connectRedis(url: string, log: Logger, role: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  client.on('error', (error: Error) => log.warn({ err: error, role }, 'redis connection error'));
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
