import { createHash } from 'node:crypto';
import { BadUserInputError } from './errors.js';

/** Any UUID PostgreSQL takes (not only RFC 4122 versions: imported and derived ids are valid too). */
export const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID string; anything else never reaches a `uuid` column. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_SHAPE.test(value);
}

/**
 * A stable UUID (version 4 layout) derived from `seed`: work that may run twice (a retried job
 * step) creates its rows under these ids and finds them the second time instead of duplicating.
 */
export function derivedUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An id argument as a UUID; anything else is the client's mistake (BAD_USER_INPUT naming `field`). */
export function requireUuid(value: string, field: string): string {
  if (!isUuid(value)) throw BadUserInputError.field(field, 'Not a valid id');
  return value.toLowerCase();
}
