import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../engine/observability/logger.js';
import type { AppPubSub } from '../../engine/pubsub/pubsub.js';
import type { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import { FLAG_CATALOGUE, flagDefinition } from './flag-catalogue.js';
import { resolveFlag, type FlagSetting } from './flag-resolution.js';
import { FeatureFlagDefault, TenantFeatureFlag } from './flag.entity.js';
import type { FeatureFlag } from './flag.types.js';

const FLAG_CHANGES_TOPIC = 'flags:changed';

declare module '../../engine/pubsub/pubsub.js' {
  interface TopicMap {
    'flags:changed': { tenantId: string | null };
  }
}

/** Even without a change message (Redis down) no process keeps a flag longer than this. */
export const FLAG_CACHE_TTL_MS = 30_000;

interface TenantFlags {
  plan: PlanCode;
  expiresAt: number;
  flags: Map<string, FeatureFlag>;
}

interface FlagTenant {
  id: string;
  plan: PlanCode;
}

function settingOf(row: { enabled: boolean; rolloutPercent?: number | null }): FlagSetting {
  return { enabled: row.enabled, rolloutPercent: row.rolloutPercent ?? null };
}

/**
 * The per-process cache of resolved flags, one entry per tenant (keyed `tenant:<id>`, with the
 * plan it was resolved for), plus the global defaults. A change anywhere is announced on
 * FLAG_CHANGES_TOPIC (Redis pub/sub across processes); entries also expire after FLAG_CACHE_TTL_MS.
 */
export class FlagStore {
  private globals: { values: Map<string, FlagSetting>; expiresAt: number } | null = null;
  private readonly tenants = new Map<string, TenantFlags>();
  /** Bumped by every invalidation: a load that raced one is returned but not cached. */
  private generation = 0;
  private stopFollowing: () => Promise<void> = async () => {};

  constructor(
    private readonly pubSub: AppPubSub,
    private readonly ttlMs = FLAG_CACHE_TTL_MS,
  ) {}

  /** Whether `key` is on for `tenant`; warm, it answers from memory. Unknown keys are a programming error. */
  async isEnabled(em: EntityManager, tenant: FlagTenant, key: string): Promise<boolean> {
    const flag = (this.cached(tenant) ?? (await this.load(em, tenant))).get(key);
    if (!flag) throw new Error(`Unknown feature flag ${key}`);
    return flag.enabled;
  }

  /** Every known flag as it resolves for `tenant`. `em` must be scoped to that tenant. */
  async resolveAll(em: EntityManager, tenant: FlagTenant): Promise<FeatureFlag[]> {
    return [...(this.cached(tenant) ?? (await this.load(em, tenant))).values()];
  }

  /** One flag resolved from the database, bypassing the cache (inside a transaction that just changed it). */
  async resolveFresh(em: EntityManager, tenant: FlagTenant, key: string): Promise<FeatureFlag> {
    const global = await em.findOne(FeatureFlagDefault, { key }, { disableIdentityMap: true });
    const override = await em.findOne(TenantFeatureFlag, { tenantId: tenant.id, key }, { disableIdentityMap: true });
    return resolveFlag(flagDefinition(key)!, tenant, {
      global: global ? settingOf(global) : undefined,
      override: override ? settingOf(override) : undefined,
    });
  }

  /** Forgets one tenant's flags, or everything (`null`: a global default changed) — in this process only. */
  invalidate(tenantId: string | null): void {
    this.generation++;
    if (tenantId === null) {
      this.globals = null;
      this.tenants.clear();
    } else {
      this.tenants.delete(`tenant:${tenantId}`);
    }
  }

  /** Tells every process (this one at once) to forget the flags of `tenantId`, or all (`null`). */
  publishChange(tenantId: string | null): void {
    this.invalidate(tenantId);
    this.pubSub.publish(FLAG_CHANGES_TOPIC, { tenantId });
  }

  /** Applies other processes' changes to this cache until `close`. */
  follow(log: Logger): void {
    const changes = this.pubSub.subscribe(FLAG_CHANGES_TOPIC);
    void (async () => {
      for await (const change of changes) this.invalidate(change.tenantId);
    })().catch((error: unknown) => log.error({ err: error }, 'flag change feed stopped'));
    this.stopFollowing = async () => {
      await changes.return?.();
    };
  }

  close(): Promise<void> {
    return this.stopFollowing();
  }

  private cached(tenant: FlagTenant): Map<string, FeatureFlag> | undefined {
    const entry = this.tenants.get(`tenant:${tenant.id}`);
    return entry && entry.plan === tenant.plan && entry.expiresAt > Date.now() ? entry.flags : undefined;
  }

  private async load(em: EntityManager, tenant: FlagTenant): Promise<Map<string, FeatureFlag>> {
    const generation = this.generation;
    const globals = await this.loadGlobals(em);
    const rows = await em.find(TenantFeatureFlag, { tenantId: tenant.id }, { disableIdentityMap: true });
    const overrides = new Map(rows.map((row) => [row.key, settingOf(row)]));
    const flags = new Map(
      FLAG_CATALOGUE.map((definition) => [
        definition.key,
        resolveFlag(definition, tenant, { global: globals.get(definition.key), override: overrides.get(definition.key) }),
      ]),
    );
    if (generation === this.generation) {
      if (this.tenants.size > 10_000) this.tenants.clear();
      this.tenants.set(`tenant:${tenant.id}`, { plan: tenant.plan, expiresAt: Date.now() + this.ttlMs, flags });
    }
    return flags;
  }

  private async loadGlobals(em: EntityManager): Promise<Map<string, FlagSetting>> {
    if (this.globals && this.globals.expiresAt > Date.now()) return this.globals.values;
    const generation = this.generation;
    const rows = await em.find(FeatureFlagDefault, {}, { disableIdentityMap: true });
    const values = new Map(rows.map((row) => [row.key, settingOf(row)]));
    if (generation === this.generation) this.globals = { values, expiresAt: Date.now() + this.ttlMs };
    return values;
  }
}
