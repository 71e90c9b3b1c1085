import { NotFoundError } from './errors.js';

/**
 * `value`, or NOT_FOUND naming `what`. A row of another tenant is filtered out before it gets here,
 * so it is reported exactly like a missing one.
 */
export function requireFound<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new NotFoundError(what);
  return value;
}
