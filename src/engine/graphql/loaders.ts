import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created on first use. A module declares its loader next to its
 * resolver as a `LoaderFactory` (module-level, stateless) and asks `ctx.loaders.get(factory)`:
 * the loader itself lives in the request, uses the request's EntityManager (its tenant filter
 * and RLS transaction), and is never shared between requests, so a batch can never mix tenants.
 * A factory may prime the request's other loaders (`loaders`) with rows it reads anyway.
 */
export type LoaderFactory<K, V> = (em: EntityManager, loaders: RequestLoaders) => DataLoader<K, V, string>;

export class RequestLoaders {
  private readonly loaders = new Map<unknown, unknown>();

  constructor(private readonly em: EntityManager) {}

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V, string> {
    let loader = this.loaders.get(factory) as DataLoader<K, V, string> | undefined;
    if (!loader) {
      loader = factory(this.em, this);
      this.loaders.set(factory, loader);
    }
    return loader;
  }
}
