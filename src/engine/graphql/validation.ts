import { IsDefined, Length, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { containsNul } from './nul.js';
import { UUID_SHAPE } from './uuid.js';

/** Text holding a NUL is refused as input: PostgreSQL could not store it (see nul.ts). */
function refuseNul(target: object, property: string | symbol): void {
  ValidateBy({
    name: 'noNul',
    validator: {
      validate: (value) => typeof value === 'string' && !containsNul(value),
      defaultMessage: () => `${String(property)} must not contain NUL characters`,
    },
  })(target, property);
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
