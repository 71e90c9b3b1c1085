import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../graphql/errors.js';

export interface RateLimitConfig {
  signupsPerHour: number;
  loginsPerQuarterHour: number;
  loginsPerAddressPerQuarterHour: number;
  loginsPerAccountPerQuarterHour: number;
  invitesPerTenantPerHour: number;
  apiKeyRequestsPerMinute: number;
  callerOperationsPerMinute: number;
}

/**
 * The public endpoints' limits (and each API key's), keyed on the client address (not on any header a client can
 * set) and, for sign-in, the e-mail tried. In Redis when there is one, so every gateway process
 * counts together; in-process otherwise.
 */
export class RateLimits {
  readonly signup: RateLimiterAbstract;
  /** Per address and e-mail (and per invite token). */
  readonly login: RateLimiterAbstract;
  /** Per address, whatever e-mail it tries: one address spraying many accounts. */
  readonly loginAddress: RateLimiterAbstract;
  /** Per e-mail, whatever address tries it: many addresses on one account. */
  readonly loginAccount: RateLimiterAbstract;
  /** Invites (and their e-mails) per tenant. */
  readonly invite: RateLimiterAbstract;
  /** Per API key (its id), after the key is validated. */
  readonly apiKey: RateLimiterAbstract;
  /** Operations per signed-in user in a tenant (`<tenant>:<user>`, both validated), after authentication. */
  readonly caller: RateLimiterAbstract;

  constructor(redis: Redis | null, config: RateLimitConfig) {
    const limiter = (keyPrefix: string, points: number, duration: number) =>
      redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `tessera:rl:${keyPrefix}`,
            points,
            duration,
            // While Redis is down each process counts on its own instead of failing sign-in.
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
          })
        : new RateLimiterMemory({ keyPrefix, points, duration });
    this.signup = limiter('signup', config.signupsPerHour, 3600);
    this.login = limiter('login', config.loginsPerQuarterHour, 900);
    this.loginAddress = limiter('login-address', config.loginsPerAddressPerQuarterHour, 900);
    this.loginAccount = limiter('login-account', config.loginsPerAccountPerQuarterHour, 900);
    this.invite = limiter('invite', config.invitesPerTenantPerHour, 3600);
    this.apiKey = limiter('apikey', config.apiKeyRequestsPerMinute, 60);
    this.caller = limiter('caller', config.callerOperationsPerMinute, 60);
  }
}

/** The limit's state as `RateLimit-Policy` / `RateLimit` headers (IETF httpapi draft), named by the limiter. */
function rateLimitHeaders(limiter: RateLimiterAbstract, state: RateLimiterRes): Map<string, string> {
  const name = limiter.keyPrefix.replace(/^tessera:rl:/, '');
  const reset = Math.max(0, Math.ceil(state.msBeforeNext / 1000));
  return new Map([
    ['ratelimit-policy', `"${name}";q=${limiter.points};w=${limiter.duration}`],
    ['ratelimit', `"${name}";r=${Math.max(0, state.remainingPoints)};t=${reset}`],
  ]);
}

/**
 * Spends one point or throws RATE_LIMITED (HTTP 429 with Retry-After and the RateLimit headers).
 * With `responseHeaders`, an admitted request reports the limit's state there too.
 */
export async function spend(limiter: RateLimiterAbstract, key: string, responseHeaders?: Map<string, string>): Promise<void> {
  try {
    const state = await limiter.consume(key);
    if (responseHeaders) for (const [name, value] of rateLimitHeaders(limiter, state)) appendHeader(responseHeaders, name, value);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), undefined, rateLimitHeaders(limiter, rejection));
    }
    throw rejection;
  }
}

/** Several limits apply to one response: their RateLimit fields are listed together. */
export function appendHeader(headers: Map<string, string>, name: string, value: string): void {
  const current = headers.get(name);
  headers.set(name, current ? `${current}, ${value}` : value);
}
