/**
 * SQLSTATEs that mean "the database cannot serve right now" rather than "this statement is wrong":
 * connection exceptions (class 08), administrator/crash shutdown and "starting up" (57P01–57P03),
 * too many connections (53300).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres and pg-pool say these in words only. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

/** Whether `error` (or what it wraps) says PostgreSQL is unreachable, restarting or shutting down: worth retrying. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; sqlState?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    for (const code of [candidate.code, candidate.sqlState]) {
      if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    }
    if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
    current = candidate.originalError ?? candidate.cause;
  }
  return false;
}
