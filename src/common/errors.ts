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

/** Base of the typed errors; `httpStatus` is used when the error happens before execution. */
export abstract class AppError extends GraphQLError {
  abstract readonly code: ErrorCode;

  protected constructor(message: string, code: ErrorCode, httpStatus: number, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra, http: { status: httpStatus } } });
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Authentication required') {
    super(message, 'UNAUTHENTICATED', 401);
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'Forbidden') {
    super(message, 'FORBIDDEN', 403);
  }
}

export class TenantRequiredError extends AppError {
  readonly code = 'TENANT_REQUIRED';
  constructor() {
    super('This operation needs a tenant', 'TENANT_REQUIRED', 400);
  }
}

export class TenantNotFoundError extends AppError {
  readonly code = 'TENANT_NOT_FOUND';
  constructor() {
    super('Tenant not found', 'TENANT_NOT_FOUND', 404);
  }
}

export class TenantMismatchError extends AppError {
  readonly code = 'TENANT_MISMATCH';
  constructor() {
    super('The request names more than one tenant', 'TENANT_MISMATCH', 400);
  }
}

export class TenantSuspendedError extends AppError {
  readonly code = 'TENANT_SUSPENDED';
  constructor() {
    super('The tenant is suspended and read-only', 'TENANT_SUSPENDED', 403);
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  constructor(message = 'Conflict', field?: string) {
    super(message, 'CONFLICT', 409, field ? { field } : {});
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(what = 'Record') {
    super(`${what} not found`, 'NOT_FOUND', 404);
  }
}

export class InvalidTransitionError extends AppError {
  readonly code = 'INVALID_TRANSITION';
  constructor(from: string, to: string) {
    super(`Cannot move from ${from} to ${to}`, 'INVALID_TRANSITION', 400, { from, to });
  }
}

export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  constructor(retryAfterSeconds: number) {
    super('Too many requests', 'RATE_LIMITED', 429, { retryAfter: retryAfterSeconds });
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly fieldErrors: FieldError[]) {
    super(
      fieldErrors.map((error) => `${error.field}: ${error.message}`).join('; ') || 'Invalid input',
      'BAD_USER_INPUT',
      400,
      { fieldErrors },
    );
  }

  static field(field: string, message: string): BadUserInputError {
    return new BadUserInputError([{ field, message }]);
  }
}
