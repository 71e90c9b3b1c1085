import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders, created on first use. A module declares its loader next to its
 * resolver as a `LoaderFactory` and asks `ctx.loaders.get(factory)`: nothing is shared
 * between requests, so a batch can never mix tenants.
 */
export type LoaderFactory<K, V> = () => DataLoader<K, V, string>;

export class RequestLoaders {
  private readonly loaders = new Map<LoaderFactory<never, unknown>, DataLoader<never, unknown, string>>();

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V, string> {
    let loader = this.loaders.get(factory as LoaderFactory<never, unknown>);
    if (!loader) {
      loader = factory() as unknown as DataLoader<never, unknown, string>;
      this.loaders.set(factory as LoaderFactory<never, unknown>, loader);
    }
    return loader as unknown as DataLoader<K, V, string>;
  }
}
