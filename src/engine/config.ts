import { z } from 'zod';
import { isCorsOriginPattern, type CorsConfig } from './http/cors.js';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: postgresUrl.optional(),
    DATABASE_MIGRATOR_URL: postgresUrl.optional(),
    DATABASE_PLATFORM_URL: postgresUrl.optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(3600),
    BASE_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+$/, 'must be a lowercase host name')
      .optional(),
    SIGNUP_ENABLED: booleanFlag.default(true),
    RATE_LIMIT_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).default(10),
    RATE_LIMIT_LOGINS_PER_15_MIN: z.coerce.number().int().min(1).default(20),
    RATE_LIMIT_LOGINS_PER_ADDRESS_PER_15_MIN: z.coerce.number().int().min(1).default(100),
    RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_15_MIN: z.coerce.number().int().min(1).default(50),
    RATE_LIMIT_INVITES_PER_TENANT_PER_HOUR: z.coerce.number().int().min(1).default(50),
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    RATE_LIMIT_API_KEY_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_OPERATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    STRIPE_API_URL: z.url().optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    STRIPE_PRICE_PRO: z.string().min(1).default('price_tessera_pro'),
    STRIPE_PRICE_ENTERPRISE: z.string().min(1).default('price_tessera_enterprise'),
    STRIPE_METER_EVENT: z.string().min(1).default('tessera_api_calls'),
    METERING_ENABLED: booleanFlag.default(true),
    BILLING_GRACE_DAYS: z.coerce.number().min(0).max(90).default(7),
    PROVISIONING_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(25).default(5),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(4),
    WORKER_STALE_AFTER_SECONDS: z.coerce.number().min(1).max(3600).default(30),
    TENANT_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
    TESSERA_DATA_DIR: z.string().min(1).default('.tessera'),
    EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    QUERY_MAX_NODES: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).max(1000).default(20),
    WS_MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(50),
    TENANT_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).max(320).default('Tessera <notifications@tessera.localhost>'),
    CORS_ORIGINS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((entry) => entry.trim().toLowerCase())
          .filter(Boolean),
      )
      .refine(
        (entries) => entries.every(isCorsOriginPattern),
        'must be *, or comma-separated origins like https://app.example.com or https://*.example.com',
      )
      .optional(),
    CORS_CREDENTIALS: booleanFlag.default(false),
    TRUSTED_DOCUMENTS: z.enum(['required', 'allowed', 'off']).optional(),
    TRUSTED_DOCUMENTS_MANIFEST: z.string().min(1).default('client/generated/persisted-documents.json'),
    CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  })
  .superRefine((env, issues) => {
    if (env.CORS_CREDENTIALS && env.CORS_ORIGINS?.includes('*')) {
      issues.addIssue({ code: 'custom', path: ['CORS_CREDENTIALS'], message: 'cannot be true with CORS_ORIGINS=*' });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['DATABASE_URL', 'DATABASE_MIGRATOR_URL', 'JWT_SECRET', 'REDIS_URL'] as const) {
      if (!env[name]) issues.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
    }
    if (env.CORS_ORIGINS?.includes('*'))
      issues.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: 'cannot be * in production: list the origins' });
  });

type Env = z.infer<typeof envSchema>;

/** The validated, immutable configuration of one Tessera process. */
export interface Config {
  /**
   * NODE_ENV, or when unset: `development` for zero-setup (no DATABASE_URL: `npm start` on a
   * laptop), `production` otherwise, so a deployment that forgets NODE_ENV is not left with
   * introspection and unmasked errors.
   */
  readonly env: NonNullable<Env['NODE_ENV']>;
  readonly host: string;
  readonly port: number;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly database: {
    /** Connection of the app role (no ownership, no BYPASSRLS). Absent: zero-setup embedded PostgreSQL. */
    readonly url?: string;
    /** Connection of the owner role that runs migrations. */
    readonly migratorUrl?: string;
    /** Connection of the platform role (cross-tenant reads for platform operators). Absent: platform operations are refused. */
    readonly platformUrl?: string;
    readonly poolMax: number;
    /** How long a request waits for a pooled connection before answering SERVICE_UNAVAILABLE (503, retryable). */
    readonly acquireTimeoutMs: number;
    /** The app role's `statement_timeout` (0: none). */
    readonly statementTimeoutMs: number;
    /** The app role's `idle_in_transaction_session_timeout` (0: none). */
    readonly idleInTransactionTimeoutMs: number;
  };
  readonly redisUrl?: string;
  readonly jwt: { readonly secret?: string; readonly ttlSeconds: number };
  readonly baseDomain?: string;
  readonly signupEnabled: boolean;
  readonly rateLimits: {
    readonly signupsPerHour: number;
    readonly loginsPerQuarterHour: number;
    readonly loginsPerAddressPerQuarterHour: number;
    readonly loginsPerAccountPerQuarterHour: number;
    readonly invitesPerTenantPerHour: number;
    /** Requests per minute of one API key, across every gateway process. */
    readonly apiKeyRequestsPerMinute: number;
    /** Operations per minute of one signed-in user in one tenant, across every gateway process. */
    readonly callerOperationsPerMinute: number;
  };
  /** Reverse proxies in front of the gateway whose X-Forwarded-For is believed (0: the socket address). */
  readonly trustProxyHops: number;
  readonly billing: {
    readonly stripeSecretKey?: string;
    readonly stripeApiUrl?: string;
    readonly webhookSecret?: string;
    /** Stripe price of each paid plan's subscription. */
    readonly prices: { readonly PRO: string; readonly ENTERPRISE: string };
    readonly meterEvent: string;
    readonly gracePeriodMs: number;
    /** Off: API calls are neither counted nor limited (self-hosting without plans; benchmarks). */
    readonly meteringEnabled: boolean;
  };
  readonly provisioningMaxAttempts: number;
  readonly worker: { readonly concurrency: number; readonly staleAfterMs: number };
  readonly tenantRetentionMs: number;
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  readonly tenantCacheTtlMs: number;
  /** The most values (fields times page sizes) one operation may ask for. */
  readonly queryMaxNodes: number;
  /** Bearer token /metrics asks for; without it /metrics is open outside production and off in production. */
  readonly metricsToken?: string;
  /** Live subscriptions one graphql-ws socket, and one user across this process's sockets, may hold. */
  readonly ws: { readonly maxSubscriptionsPerSocket: number; readonly maxSubscriptionsPerUser: number };
  /** Notification e-mail; without an SMTP relay the e-mail channel is off. */
  readonly mail: { readonly smtpUrl?: string; readonly from: string };
  /** Browser origins allowed to call the gateway (none by default; `*` only in zero-setup development). */
  readonly cors: CorsConfig;
  /** Which documents run: only trusted ones (`required`), trusted ones plus anything for platform operators (`allowed`), or any (`off`). */
  readonly trustedDocuments: { readonly mode: 'required' | 'allowed' | 'off'; readonly manifests: readonly string[] };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment once; every problem names its variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  return deepFreeze({
    env: env.NODE_ENV ?? (env.DATABASE_URL ? 'production' : 'development'),
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: {
      url: env.DATABASE_URL,
      migratorUrl: env.DATABASE_MIGRATOR_URL,
      platformUrl: env.DATABASE_PLATFORM_URL,
      poolMax: env.DATABASE_POOL_MAX,
      acquireTimeoutMs: env.DATABASE_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    redisUrl: env.REDIS_URL,
    jwt: { secret: env.JWT_SECRET, ttlSeconds: env.JWT_TTL_SECONDS },
    baseDomain: env.BASE_DOMAIN,
    signupEnabled: env.SIGNUP_ENABLED,
    rateLimits: {
      signupsPerHour: env.RATE_LIMIT_SIGNUPS_PER_HOUR,
      loginsPerQuarterHour: env.RATE_LIMIT_LOGINS_PER_15_MIN,
      loginsPerAddressPerQuarterHour: env.RATE_LIMIT_LOGINS_PER_ADDRESS_PER_15_MIN,
      loginsPerAccountPerQuarterHour: env.RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_15_MIN,
      invitesPerTenantPerHour: env.RATE_LIMIT_INVITES_PER_TENANT_PER_HOUR,
      apiKeyRequestsPerMinute: env.RATE_LIMIT_API_KEY_PER_MINUTE,
      callerOperationsPerMinute: env.RATE_LIMIT_OPERATIONS_PER_MINUTE,
    },
    trustProxyHops: env.TRUST_PROXY,
    billing: {
      stripeSecretKey: env.STRIPE_SECRET_KEY,
      stripeApiUrl: env.STRIPE_API_URL,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      prices: { PRO: env.STRIPE_PRICE_PRO, ENTERPRISE: env.STRIPE_PRICE_ENTERPRISE },
      meterEvent: env.STRIPE_METER_EVENT,
      gracePeriodMs: env.BILLING_GRACE_DAYS * 24 * 3600 * 1000,
      meteringEnabled: env.METERING_ENABLED,
    },
    provisioningMaxAttempts: env.PROVISIONING_MAX_ATTEMPTS,
    worker: { concurrency: env.WORKER_CONCURRENCY, staleAfterMs: env.WORKER_STALE_AFTER_SECONDS * 1000 },
    tenantRetentionMs: env.TENANT_RETENTION_DAYS * 24 * 3600 * 1000,
    dataDir: env.TESSERA_DATA_DIR,
    embeddedPostgresPort: env.EMBEDDED_POSTGRES_PORT,
    tenantCacheTtlMs: env.TENANT_CACHE_TTL_SECONDS * 1000,
    queryMaxNodes: env.QUERY_MAX_NODES,
    metricsToken: env.METRICS_TOKEN,
    ws: { maxSubscriptionsPerSocket: env.WS_MAX_SUBSCRIPTIONS_PER_SOCKET, maxSubscriptionsPerUser: env.WS_MAX_SUBSCRIPTIONS_PER_USER },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    cors: {
      origins: env.CORS_ORIGINS ?? (env.NODE_ENV === 'development' && !env.DATABASE_URL ? ['*'] : []),
      credentials: env.CORS_CREDENTIALS,
      maxAgeSeconds: env.CORS_MAX_AGE_SECONDS,
    },
    trustedDocuments: {
      mode: env.TRUSTED_DOCUMENTS ?? (env.NODE_ENV === 'production' ? 'required' : 'off'),
      manifests: env.TRUSTED_DOCUMENTS_MANIFEST.split(',')
        .map((path) => path.trim())
        .filter(Boolean),
    },
  });
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}
