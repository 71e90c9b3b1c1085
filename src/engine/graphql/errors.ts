import { GraphQLError } from 'graphql';

/** Every code a client may see in `extensions.code`: the API's error contract, listed in the README. */
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
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'TRUSTED_DOCUMENT_REQUIRED';

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

/** A feature outside the tenant's plan; `requiredPlan` is the cheapest plan that includes it. */
export class PlanUpgradeRequiredError extends AppError {
  readonly code = 'PLAN_UPGRADE_REQUIRED';
  constructor(feature: string, requiredPlan: string) {
    super(`This needs the ${requiredPlan} plan (${feature})`, 'PLAN_UPGRADE_REQUIRED', { feature, requiredPlan });
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
  /** `headers`: the limit's `RateLimit-Policy` / `RateLimit` (IETF httpapi draft), sent with the 429. */
  constructor(retryAfterSeconds: number, message = 'Too many requests', headers: ReadonlyMap<string, string> = new Map()) {
    super(
      message,
      'RATE_LIMITED',
      { retryAfter: retryAfterSeconds },
      {
        status: 429,
        headers: new Map([...headers, ['retry-after', String(retryAfterSeconds)]]),
      },
    );
  }
}

/**
 * A plan limit reached. Count limits (seats, projects) refuse the field with HTTP 200 and nothing
 * written; the monthly API-call quota refuses the whole request with 429 and `Retry-After`.
 */
export class QuotaExceededError extends AppError {
  readonly code = 'QUOTA_EXCEEDED';
  constructor(metric: string, limit: number, used: number, retryAfterSeconds?: number) {
    super(
      `The plan allows ${limit} ${metric.toLowerCase().replace('_', ' ')}; ${used} are used`,
      'QUOTA_EXCEEDED',
      { metric, limit, used, ...(retryAfterSeconds === undefined ? {} : { retryAfter: retryAfterSeconds }) },
      retryAfterSeconds === undefined ? undefined : { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    );
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

/**
 * The database could not serve the request in time (pool exhausted, statement timeout, server
 * restarting): HTTP 503 with `retryable: true`, so clients retry instead of hanging.
 */
export class ServiceUnavailableError extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message = 'The service is busy, retry shortly') {
    super(message, 'SERVICE_UNAVAILABLE', { retryable: true }, { status: 503, headers: new Map([['retry-after', '1']]) });
  }
}

/**
 * The text of a failure that is stored or shown (provisioning `failureReason`, a step's
 * `lastError`, a tenant's `statusReason`): our typed errors say what they mean; in production
 * anything else (driver, network, library messages naming hosts, tables or keys) is masked.
 */
export function publicErrorText(error: unknown, production: boolean): string {
  if (error instanceof AppError) return error.message;
  if (production) return 'Internal error (details are in the server log)';
  return error instanceof Error ? error.message : String(error);
}

/** A trusted-document id (`documentId` or `extensions.persistedQuery.sha256Hash`) the gateway does not know. */
export class PersistedQueryNotFoundError extends AppError {
  readonly code = 'PERSISTED_QUERY_NOT_FOUND';
  constructor() {
    super('Unknown trusted document: register the operation at build time', 'PERSISTED_QUERY_NOT_FOUND', {}, { status: 400 });
  }
}

/** The gateway runs trusted documents only (TRUSTED_DOCUMENTS=required, or allowed for a caller who is not an operator). */
export class TrustedDocumentRequiredError extends AppError {
  readonly code = 'TRUSTED_DOCUMENT_REQUIRED';
  constructor() {
    super('This gateway runs trusted documents only: send a registered documentId', 'TRUSTED_DOCUMENT_REQUIRED', {}, { status: 400 });
  }
}
