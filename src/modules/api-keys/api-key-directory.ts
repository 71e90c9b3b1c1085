import { UnauthenticatedError } from '../../engine/graphql/errors.js';
import { defineService } from '../../engine/module.js';
import { spend } from '../../engine/http/rate-limit.js';
import type { CredentialResolver, ServicePrincipal } from '../../engine/identity/credentials.js';
import { Role } from '../../engine/identity/roles.js';
import type { AppServices } from '../../engine/services.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { hashApiKeySecret, isWellFormedApiKey } from './api-key-secret.js';
import { ApiKey } from './api-key.entity.js';

/** Revocations announced to every gateway process (through Redis when configured). */
export const API_KEY_REVOKED_TOPIC = 'api-keys:revoked';

declare module '../../engine/pubsub/pubsub.js' {
  interface TopicMap {
    'api-keys:revoked': { id: string };
  }
}
/** A safety net only: revocations reach every process through the topic within a second. */
const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;
const LAST_USED_INTERVAL_SECONDS = 60;

interface StoredKey {
  id: string;
  tenantId: string;
  role: Role;
  expiresAt: number | null;
  revoked: boolean;
}

interface CacheEntry {
  key: StoredKey | null;
  until: number;
}

interface FoundRow {
  id: string;
  tenant_id: string;
  role: Role;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
}

/**
 * Turns an `X-Api-Key` header into the key's service principal: the shape and checksum first (no
 * lookup for garbage), then a per-process cache of lookups by SHA-256, then the rate limit per key.
 * Unknown, revoked and expired keys answer the same UNAUTHENTICATED (HTTP 401).
 */
export class ApiKeyDirectory implements CredentialResolver {
  readonly header = 'x-api-key';
  private readonly cache = new Map<string, CacheEntry>();
  /** Without Redis: when this process last wrote each key's `lastUsedAt`. */
  private readonly touchedAt = new Map<string, number>();
  private readonly stopFollowing: () => Promise<void>;

  constructor(private readonly services: AppServices) {
    const revocations = services.pubSub.subscribe(API_KEY_REVOKED_TOPIC);
    void (async () => {
      for await (const event of revocations) this.forget(event.id);
    })().catch((error: unknown) => services.log.error({ err: error }, 'API key revocation feed stopped'));
    this.stopFollowing = async () => {
      await revocations.return?.();
    };
  }

  async resolve(secret: string): Promise<ServicePrincipal> {
    if (!isWellFormedApiKey(secret)) throw new UnauthenticatedError('Invalid API key');
    const key = await this.lookup(hashApiKeySecret(secret));
    if (!key || key.revoked || (key.expiresAt !== null && key.expiresAt <= Date.now())) {
      throw new UnauthenticatedError('Invalid API key');
    }
    await spend(this.services.rateLimits.apiKey, key.id);
    this.touch(key);
    return { kind: 'apiKey', id: key.id, tenantId: key.tenantId, role: key.role };
  }

  /** Tells every process (this one at once) that key `id` is revoked. */
  announceRevocation(id: string): void {
    this.forget(id);
    this.services.pubSub.publish(API_KEY_REVOKED_TOPIC, { id });
  }

  async close(): Promise<void> {
    await this.stopFollowing();
  }

  private forget(id: string): void {
    for (const [hash, entry] of this.cache) if (entry.key?.id === id) this.cache.delete(hash);
  }

  private async lookup(hash: string): Promise<StoredKey | null> {
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.key;
    // The request names no tenant yet: an owner-defined function returns the one matching row.
    const [row] = await this.services.orm.em.fork().execute<FoundRow[]>('select * from tessera_find_api_key(?)', [hash]);
    const key: StoredKey | null = row
      ? {
          id: row.id,
          tenantId: row.tenant_id,
          role: row.role,
          expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
          revoked: row.revoked_at !== null,
        }
      : null;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, { key, until: now + CACHE_TTL_MS });
    return key;
  }

  /** Records `lastUsedAt` at most once a minute per key (across processes with Redis), after the response path. */
  private touch(key: StoredKey): void {
    void this.claimTouch(key.id)
      .then((claimed) => {
        if (!claimed) return undefined;
        return inTenantTransaction(this.services.orm.em, key.tenantId, (em) =>
          em.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: new Date() }),
        );
      })
      .catch((error: unknown) => this.services.log.warn({ err: error, api_key_id: key.id }, 'could not record API key use'));
  }

  private async claimTouch(id: string): Promise<boolean> {
    const { redis } = this.services;
    if (redis) return (await redis.set(`tessera:apikey:used:${id}`, '1', 'EX', LAST_USED_INTERVAL_SECONDS, 'NX')) === 'OK';
    const now = Date.now();
    if ((this.touchedAt.get(id) ?? 0) > now - LAST_USED_INTERVAL_SECONDS * 1000) return false;
    if (this.touchedAt.size >= CACHE_MAX_ENTRIES) this.touchedAt.clear();
    this.touchedAt.set(id, now);
    return true;
  }
}

/** The process's key directory, created at start so it follows revocations from the first request. */
export const apiKeyDirectory = defineService(
  'api-key-directory',
  (services) => new ApiKeyDirectory(services),
  (directory) => directory.close(),
);
