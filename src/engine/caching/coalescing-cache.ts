/** What a lookup found: a fresh entry, nothing usable (it read, or joined a read), or an expired entry it served. */
export type LookupOutcome = 'hit' | 'miss' | 'stale';

export interface LookupOptions {
  /**
   * Answer from an expired entry, for at most one more TTL, while one background read refreshes
   * it, instead of waiting for (or failing with) the database. For per-event checks of live
   * subscribers. Invalidation still takes effect at once: `forget` deletes the entry, so there is
   * nothing stale left to serve. Only expiry, the safety net for a lost change notice, gets this grace.
   */
  serveStale?: boolean;
}

export interface CoalescingCacheOptions {
  /** How long an entry answers every lookup (randomised to 80–100 % per entry); 0 caches nothing. */
  ttlMs: number;
  /** Past this many entries the cache starts over (a bound on memory, not an eviction policy). */
  maxEntries: number;
  onLookup?: (outcome: LookupOutcome) => void;
  /** A background refresh failed; its expired entry keeps answering `serveStale` lookups until its grace ends. */
  onRefreshFailed?: (error: unknown) => void;
  /** The clock and the jitter source: tests pass their own. */
  now?: () => number;
  random?: () => number;
}

interface Entry<V> {
  value: V;
  /** Until then the entry answers every lookup. */
  freshUntil: number;
  /** Until then (one TTL after `freshUntil`) it answers `serveStale` lookups while a refresh runs. */
  staleUntil: number;
}

/**
 * The shortest share of the TTL an entry lives. Entries filled together (subscribers that all
 * connected in the same second) would otherwise expire together and re-read in one burst.
 */
const MIN_TTL_SHARE = 0.8;

/**
 * A process-local read-through cache whose concurrent misses of one key share one read
 * (single-flight), whose entries expire at jittered times, and which can serve an expired entry
 * while it refreshes it. A read in flight when its key is forgotten is dropped from the cache:
 * later lookups do not join it and its answer (possibly older than the change that caused the
 * `forget`) is never stored.
 */
export class CoalescingCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** The read in flight per key; its identity is the key's generation (see `forget`). */
  private readonly reads = new Map<string, Promise<V>>();
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: CoalescingCacheOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** The cached value of `key`, or what `read` answers (shared with every concurrent miss of `key`). */
  get(key: string, read: () => Promise<V>, { serveStale = false }: LookupOptions = {}): Promise<V> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && now < entry.freshUntil) {
      this.options.onLookup?.('hit');
      return Promise.resolve(entry.value);
    }
    if (entry && now >= entry.staleUntil) this.entries.delete(key);
    else if (entry && serveStale) {
      this.options.onLookup?.('stale');
      if (!this.reads.has(key)) void this.sharedRead(key, read).catch((error: unknown) => this.options.onRefreshFailed?.(error));
      return Promise.resolve(entry.value);
    }
    this.options.onLookup?.('miss');
    return this.reads.get(key) ?? this.sharedRead(key, read);
  }

  /**
   * Drops `key`'s entry and its read in flight, after a change. The read itself runs on, but only
   * the read that is current when it settles may store its answer, so an answer read before the
   * change cannot overwrite the change (or be served to a lookup made after it).
   */
  forget(key: string): void {
    this.entries.delete(key);
    this.reads.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.reads.clear();
  }

  private sharedRead(key: string, read: () => Promise<V>): Promise<V> {
    const current: Promise<V> = Promise.resolve()
      .then(read)
      .then(
        (value) => {
          if (this.reads.get(key) === current) {
            this.reads.delete(key);
            this.store(key, value);
          }
          return value;
        },
        (error: unknown) => {
          if (this.reads.get(key) === current) this.reads.delete(key);
          throw error;
        },
      );
    this.reads.set(key, current);
    return current;
  }

  private store(key: string, value: V): void {
    const { ttlMs, maxEntries } = this.options;
    if (ttlMs <= 0) return;
    if (this.entries.size > maxEntries) this.entries.clear();
    const freshUntil = this.now() + ttlMs * (MIN_TTL_SHARE + (1 - MIN_TTL_SHARE) * this.random());
    this.entries.set(key, { value, freshUntil, staleUntil: freshUntil + ttlMs });
  }
}
