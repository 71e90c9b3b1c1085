import { BadUserInputError } from './errors.js';

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID string; anything else never reaches a `uuid` column. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_SHAPE.test(value);
}

/** An id argument as a UUID; anything else is the client's mistake (BAD_USER_INPUT naming `field`). */
export function requireUuid(value: string, field: string): string {
  if (!isUuid(value)) throw BadUserInputError.field(field, 'Not a valid id');
  return value.toLowerCase();
}
