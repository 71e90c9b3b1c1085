import { registerEnumType } from 'type-graphql';
import type { ErrorCode } from './errors.js';

/**
 * What each `extensions.code` means (DESIGN.md, "Error codes"), published in the schema as the
 * `ErrorCode` enum so clients can generate a typed union of them. Typed by `ErrorCode`: a code
 * added in errors.ts does not compile until it is described here.
 */
export const ERROR_CODE_DESCRIPTIONS: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'No valid credentials: the token or API key is missing, invalid, expired or revoked (HTTP 401).',
  FORBIDDEN: 'Authenticated, but the role in this tenant does not allow the operation.',
  TENANT_REQUIRED: 'The operation needs a tenant: name one (token, X-Tenant-ID/X-Tenant-Slug, /t/<slug>/graphql or subdomain).',
  TENANT_NOT_FOUND: 'The named tenant does not exist, or the caller may not see it (HTTP 404).',
  TENANT_MISMATCH: 'The request names more than one tenant, or a tenant other than its token or API key (HTTP 400).',
  TENANT_SUSPENDED: 'The tenant is suspended: reads work, writes are refused.',
  PLAN_UPGRADE_REQUIRED: 'The tenant plan does not include this feature.',
  QUOTA_EXCEEDED:
    'A limit of the tenant plan is reached: `extensions.metric`, `limit`, `used` (seats and projects: HTTP 200, nothing written; monthly API calls: HTTP 429 with Retry-After).',
  RATE_LIMITED: 'Too many requests: retry after `extensions.retryAfter` seconds (HTTP 429, Retry-After).',
  CONFLICT: 'The change conflicts with existing data (e.g. a slug or e-mail already taken).',
  NOT_FOUND: 'The object does not exist in this tenant (or is not visible to the caller).',
  INVALID_TRANSITION: 'The status change is not allowed from the current status (`extensions.from`, `extensions.to`).',
  BAD_USER_INPUT: 'The request or its input is invalid: `extensions.fieldErrors` names the fields; never a 500.',
  SERVICE_UNAVAILABLE:
    'The database could not serve the request in time (busy or restarting): retry; `extensions.retryable` is true (HTTP 503, Retry-After).',
  INTERNAL_SERVER_ERROR: 'An unexpected failure; the message is masked in production (report the X-Request-Id).',
  PERSISTED_QUERY_NOT_FOUND:
    'The trusted-document id is unknown to this gateway: the operation was not registered at build time (HTTP 400).',
  TRUSTED_DOCUMENT_REQUIRED: 'This gateway runs registered operations only: send a documentId, not a document (HTTP 400).',
};

/** The `ErrorCode` enum of the schema (values are the codes themselves). */
export const ErrorCodeEnum = Object.fromEntries(Object.keys(ERROR_CODE_DESCRIPTIONS).map((code) => [code, code])) as {
  [Code in ErrorCode]: Code;
};

registerEnumType(ErrorCodeEnum, {
  name: 'ErrorCode',
  description: 'Every value an error may carry in `extensions.code`.',
  valuesConfig: Object.fromEntries(
    Object.entries(ERROR_CODE_DESCRIPTIONS).map(([code, description]) => [code, { description }]),
  ) as Partial<Record<ErrorCode, { description: string }>>,
});
