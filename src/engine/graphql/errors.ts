import { GraphQLError } from 'graphql';

/** Every code a client may see in `extensions.code` (DESIGN.md, "Error codes"). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'TENANT_REQUIRED'
  | 'TENANT_NOT_FOUND'
  | 'TENANT_MISMATCH'
  | 'TENANT_SUSPENDED'
  | 'PLAN_UPGRADE_REQUIRED'
  | 'QUOTA_EXCEEDED'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'BAD_USER_INPUT'
  | 'INTERNAL_SERVER_ERROR';

interface HttpHead {
  status: number;
  headers?: Map<string, string>;
}

/**
 * Base of the typed errors. Only errors that refuse the whole request carry an HTTP status
 * (Apollo applies `extensions.http` to the response): a denied field in an otherwise fine
 * operation still answers 200 with its partial data, as GraphQL clients expect.
 */
export abstract class AppError extends GraphQLError {
  abstract readonly code: ErrorCode;

  protected constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}, http?: HttpHead) {
    super(message, { extensions: { code, ...extra, ...(http ? { http } : {}) } });
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Authentication required') {
    super(message, 'UNAUTHENTICATED', {}, { status: 401 });
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'Forbidden') {
    super(message, 'FORBIDDEN');
  }
}

export class TenantRequiredError extends AppError {
  readonly code = 'TENANT_REQUIRED';
  constructor() {
    super('This operation needs a tenant', 'TENANT_REQUIRED');
  }
}

export class TenantNotFoundError extends AppError {
  readonly code = 'TENANT_NOT_FOUND';
  constructor() {
    super('Tenant not found', 'TENANT_NOT_FOUND', {}, { status: 404 });
  }
}

export class TenantMismatchError extends AppError {
  readonly code = 'TENANT_MISMATCH';
  constructor() {
    super('The request names more than one tenant', 'TENANT_MISMATCH', {}, { status: 400 });
  }
}

export class TenantSuspendedError extends AppError {
  readonly code = 'TENANT_SUSPENDED';
  constructor() {
    super('The tenant is suspended and read-only', 'TENANT_SUSPENDED');
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  constructor(message = 'Conflict', field?: string) {
    super(message, 'CONFLICT', field ? { field } : {});
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(what = 'Record') {
    super(`${what} not found`, 'NOT_FOUND');
  }
}

export class InvalidTransitionError extends AppError {
  readonly code = 'INVALID_TRANSITION';
  constructor(from: string, to: string) {
    super(`Cannot move from ${from} to ${to}`, 'INVALID_TRANSITION', { from, to });
  }
}

export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  constructor(retryAfterSeconds: number) {
    super('Too many requests', 'RATE_LIMITED', { retryAfter: retryAfterSeconds }, {
      status: 429,
      headers: new Map([['retry-after', String(retryAfterSeconds)]]),
    });
  }
}

/**
 * A dependency (PostgreSQL) is down or restarting: nothing was written, the same request may be
 * sent again. HTTP 503 with Retry-After; the code stays INTERNAL_SERVER_ERROR (DESIGN.md's set)
 * and `extensions.retryable` tells clients apart from a bug.
 */
export class ServiceUnavailableError extends AppError {
  readonly code = 'INTERNAL_SERVER_ERROR';
  constructor(retryAfterSeconds = 1) {
    super('Service temporarily unavailable, retry shortly', 'INTERNAL_SERVER_ERROR', { retryable: true, retryAfter: retryAfterSeconds }, {
      status: 503,
      headers: new Map([['retry-after', String(retryAfterSeconds)]]),
    });
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    readonly fieldErrors: FieldError[],
    http?: HttpHead,
  ) {
    super(
      fieldErrors.map((error) => `${error.field}: ${error.message}`).join('; ') || 'Invalid input',
      'BAD_USER_INPUT',
      { fieldErrors },
      http,
    );
  }

  static field(field: string, message: string): BadUserInputError {
    return new BadUserInputError([{ field, message }]);
  }

  /** Refuses the whole request before execution (HTTP 400). */
  static request(field: string, message: string): BadUserInputError {
    return new BadUserInputError([{ field, message }], { status: 400 });
  }
}
