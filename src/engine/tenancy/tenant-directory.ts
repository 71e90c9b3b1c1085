import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { CoalescingCache, type LookupOptions, type LookupOutcome } from '../caching/coalescing-cache.js';
import { Tenant } from './tenant.entity.js';

const MAX_ENTRIES = 10_000;

/**
 * Cached lookups of the tenant registry by id and slug, used by tenant resolution on every
 * request. Misses are cached too (briefly) so guessing slugs does not hammer the database.
 * Concurrent misses of one key share one read (`CoalescingCache`).
 * Entries are detached snapshots: never flushed, never shared with a request's EntityManager.
 */
export class TenantDirectory {
  private readonly cache: CoalescingCache<Tenant | null>;

  constructor(
    private readonly orm: MikroORM,
    ttlMs: number,
    onLookup: (result: LookupOutcome) => void = () => {},
    onRefreshFailed: (error: unknown) => void = () => {},
  ) {
    this.cache = new CoalescingCache({ ttlMs, maxEntries: MAX_ENTRIES, onLookup, onRefreshFailed });
  }

  /**
   * `em`: a caller that holds a connection (a request or session transaction) passes its own
   * EntityManager, so a cache miss is read on that connection instead of waiting for a second one.
   */
  byId(id: string, em?: EntityManager, options?: LookupOptions): Promise<Tenant | null> {
    return this.lookup(`id:${id}`, { id }, em, options);
  }

  bySlug(slug: string): Promise<Tenant | null> {
    return this.lookup(`slug:${slug}`, { slug });
  }

  bySubdomain(subdomain: string): Promise<Tenant | null> {
    return this.lookup(`sub:${subdomain}`, { subdomain });
  }

  /** Forget a tenant after it changed (status, plan, deletion); a read of it in flight is not cached either. */
  invalidate(tenant: Pick<Tenant, 'id' | 'slug' | 'subdomain'>): void {
    this.cache.forget(`id:${tenant.id}`);
    this.cache.forget(`slug:${tenant.slug}`);
    this.cache.forget(`sub:${tenant.subdomain}`);
  }

  clear(): void {
    this.cache.clear();
  }

  private lookup(
    key: string,
    where: Partial<Pick<Tenant, 'id' | 'slug' | 'subdomain'>>,
    em?: EntityManager,
    options: LookupOptions = {},
  ): Promise<Tenant | null> {
    return this.cache.get(key, () => (em ?? this.orm.em.fork()).findOne(Tenant, where, { disableIdentityMap: true }), options);
  }
}
