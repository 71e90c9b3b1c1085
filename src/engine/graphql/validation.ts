import { IsDefined, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { UUID_SHAPE } from './uuid.js';

/**
 * MikroORM inlines values into the SQL text, and PostgreSQL text cannot hold U+0000: a NUL would
 * break the query message (a 500), so it is refused as input instead.
 */
const NO_NUL = /^[^\u0000]*$/;

function refuseNul(target: object, property: string | symbol): void {
  Matches(NO_NUL, { message: `${String(property)} must not contain NUL characters` })(target, property);
}

/** An id argument: any UUID, the same shape `isUuid` and PostgreSQL accept. */
export function IsId(): PropertyDecorator {
  return (target, property) => {
    Matches(UUID_SHAPE, { message: `${String(property)} must be an id` })(target, property);
  };
}

/** Optional free text (a description, a search term): at most `max` characters, no NUL. */
export function FreeText(max: number): PropertyDecorator {
  return (target, property) => {
    MaxLength(max)(target, property);
    refuseNul(target, property);
  };
}

/** Text a person types (a name, a title, a comment): 1 to `max` characters, not only spaces, no NUL. */
export function NonBlankText(max: number): PropertyDecorator {
  return (target, property) => {
    Length(1, max)(target, property);
    Matches(/\S/, { message: `${String(property)} must not be blank` })(target, property);
    refuseNul(target, property);
  };
}

/**
 * For a field of an update input that may be left out but not cleared: `undefined` skips it, an
 * explicit `null` is BAD_USER_INPUT rather than a NOT NULL violation. (type-graphql validates with
 * skipMissingProperties, which skips every validator but IsDefined for null.)
 */
export function OptionalNotNull(): PropertyDecorator {
  return (target, property) => {
    ValidateIf((_object, value) => value !== undefined)(target, property);
    IsDefined({ message: `${String(property)} must not be null` })(target, property);
  };
}

/** Optional free text as stored: trimmed, and null rather than empty. */
export function cleanText(value: string | null | undefined): string | null {
  return value?.trim() || null;
}
