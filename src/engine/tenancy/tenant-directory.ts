import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Tenant } from './tenant.entity.js';

interface CacheEntry {
  tenant: Tenant | null;
  expiresAt: number;
}

/**
 * Cached lookups of the tenant registry by id and slug, used by tenant resolution on every
 * request. Misses are cached too (briefly) so guessing slugs does not hammer the database.
 * Entries are detached snapshots: never flushed, never shared with a request's EntityManager.
 */
export class TenantDirectory {
  private readonly byKey = new Map<string, CacheEntry>();

  constructor(
    private readonly orm: MikroORM,
    private readonly ttlMs: number,
    private readonly onLookup: (result: 'hit' | 'miss') => void = () => {},
  ) {}

  /**
   * `em`: a caller that holds a connection (a request or session transaction) passes its own
   * EntityManager, so a cache miss is read on that connection instead of waiting for a second one.
   */
  byId(id: string, em?: EntityManager): Promise<Tenant | null> {
    return this.lookup(`id:${id}`, { id }, em);
  }

  bySlug(slug: string): Promise<Tenant | null> {
    return this.lookup(`slug:${slug}`, { slug });
  }

  bySubdomain(subdomain: string): Promise<Tenant | null> {
    return this.lookup(`sub:${subdomain}`, { subdomain });
  }

  /** Forget a tenant after it changed (status, plan, deletion). */
  invalidate(tenant: Pick<Tenant, 'id' | 'slug' | 'subdomain'>): void {
    this.byKey.delete(`id:${tenant.id}`);
    this.byKey.delete(`slug:${tenant.slug}`);
    this.byKey.delete(`sub:${tenant.subdomain}`);
  }

  clear(): void {
    this.byKey.clear();
  }

  private async lookup(key: string, where: Partial<Pick<Tenant, 'id' | 'slug' | 'subdomain'>>, em?: EntityManager): Promise<Tenant | null> {
    const now = Date.now();
    const cached = this.byKey.get(key);
    if (cached && cached.expiresAt > now) {
      this.onLookup('hit');
      return cached.tenant;
    }
    this.onLookup('miss');
    const tenant = await (em ?? this.orm.em.fork()).findOne(Tenant, where, { disableIdentityMap: true });
    if (this.ttlMs > 0) {
      if (this.byKey.size > 10_000) this.byKey.clear();
      this.byKey.set(key, { tenant, expiresAt: now + this.ttlMs });
    }
    return tenant;
  }
}
