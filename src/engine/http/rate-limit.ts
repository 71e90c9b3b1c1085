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
  }
}

/** Spends one point or throws RATE_LIMITED (HTTP 429 with Retry-After). */
export async function spend(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    throw rejection;
  }
}
