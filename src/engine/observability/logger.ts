import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

/** What every log line of a request carries, wherever in the call stack it is written. */
export interface RequestLogFields {
  request_id: string;
  tenant_id?: string;
  user_id?: string;
  /** The API key of a service caller. */
  api_key_id?: string;
  operation?: string;
  /** The manifest name of the trusted document this request runs (src/engine/http/trusted-documents.ts). */
  trusted_document?: string;
  /** SQL statements sent for this request so far (ORM queries and raw SQL; not BEGIN/COMMIT). */
  sql_statements?: number;
}

export const requestLogStore = new AsyncLocalStorage<RequestLogFields>();

export type { Logger };

/** Structured JSON logs; request fields come from AsyncLocalStorage, not from arguments. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'tessera' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => ({ ...requestLogStore.getStore() }),
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.token'],
  });
}
