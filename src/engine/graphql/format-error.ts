import { unwrapResolverError } from '@apollo/server/errors';
import { DriverException, NotFoundError as OrmNotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { isDatabaseUnavailable } from '../db/connection-errors.js';
import type { Logger } from '../observability/logger.js';
import { AppError, BadUserInputError, ConflictError, NotFoundError, ServiceUnavailableError, type FieldError } from './errors.js';

/** Codes Apollo assigns before execution that mean "your request is malformed". */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * SQLSTATEs PostgreSQL raises for a value it cannot take (malformed uuid/number/date, a NUL or an
 * invalid byte in text, out-of-range numbers): a safety net behind input validation, so bad
 * input never becomes a 500 even where a validator was forgotten.
 */
const MALFORMED_VALUE_STATES = new Set(['22P02', '22021', '22P05', '22003', '22007', '22008', '22001']);

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function fieldErrorsOf(errors: ValidationErrorLike[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}

/** Maps what a resolver threw onto our typed errors; `undefined` when it is not ours to explain. */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof ArgumentValidationError) {
    return new BadUserInputError(fieldErrorsOf(error.extensions.validationErrors));
  }
  if (error instanceof UniqueConstraintViolationException) return new ConflictError('This already exists');
  if (error instanceof OrmNotFoundError) return new NotFoundError();
  if (isDatabaseUnavailable(error)) return new ServiceUnavailableError();
  if (error instanceof DriverException && MALFORMED_VALUE_STATES.has(String((error as { code?: string }).code))) {
    return new BadUserInputError([{ field: 'input', message: 'A value has the wrong format' }]);
  }
  return undefined;
}

function strip(error: AppError, formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return { ...formatted, message: error.message, extensions };
}

/**
 * The one error formatter: typed errors keep their code, ORM errors become CONFLICT/NOT_FOUND/
 * BAD_USER_INPUT, anything else is INTERNAL_SERVER_ERROR and, in production, says nothing more.
 */
export function createErrorFormatter(log: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(raw);
    const known = toAppError(original);
    if (known) return strip(known, formatted);
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT', reason: code } };
    }
    log.error({ err: original, path: formatted.path }, 'unexpected error');
    if (production) {
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions: { ...extensions, code: 'INTERNAL_SERVER_ERROR' } };
  };
}
