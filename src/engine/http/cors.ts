import cors from 'cors';
import type { HttpStep } from './graphql-http.js';

/** Headers a browser app may send: auth, the tenant selectors, and Apollo's CSRF-prevention headers. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'accept',
  'authorization',
  'x-tenant-id',
  'x-tenant-slug',
  'x-api-key',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
];

/** Response headers a browser app may read (rate limits, to back off; the request id, to report a problem). */
export const CORS_EXPOSED_HEADERS = ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id'];

export interface CorsConfig {
  /** `*`, exact origins (`https://app.example.com`) and one-label-or-more wildcards (`https://*.example.com`). */
  readonly origins: readonly string[];
  readonly credentials: boolean;
  readonly maxAgeSeconds: number;
}

/** A single CORS_ORIGINS entry is valid: `*`, or an http(s) origin (no path) whose host may start with `*.`. */
export function isCorsOriginPattern(entry: string): boolean {
  return entry === '*' || /^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/.test(entry);
}

/** Whether `origin` (a browser's `Origin` header) is on the allowlist. */
export function corsOriginAllowed(origin: string, patterns: readonly string[]): boolean {
  const normalized = origin.toLowerCase();
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    if (!pattern.includes('://*.')) return pattern === normalized;
    const [scheme, rest] = pattern.split('://*.') as [string, string];
    const prefix = `${scheme}://`;
    const suffix = `.${rest}`;
    if (!normalized.startsWith(prefix) || !normalized.endsWith(suffix)) return false;
    const labels = normalized.slice(prefix.length, normalized.length - suffix.length);
    return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(labels);
  });
}

/**
 * CORS for the GraphQL endpoints (the `cors` package): an origin on the allowlist gets its own
 * origin echoed (with `Vary: Origin`), others get no CORS headers and the browser refuses to hand
 * over the answer. Preflights are cached `maxAgeSeconds`. An empty allowlist answers no CORS at all.
 */
export function corsMiddleware(config: CorsConfig): HttpStep {
  const anyOrigin = config.origins.includes('*');
  return cors({
    origin: anyOrigin ? '*' : (origin, callback) => callback(null, origin ? corsOriginAllowed(origin, config.origins) : false),
    credentials: config.credentials,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: config.maxAgeSeconds,
  });
}
