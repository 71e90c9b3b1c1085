import { expect } from 'chai';
import { CoalescingCache, type CoalescingCacheOptions, type LookupOutcome } from '../../src/engine/caching/coalescing-cache.js';

/** A promise settled by the test, standing for a database read that is still in flight. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets settled reads store their answers (a few microtask turns). */
const drain = () => new Promise((resolve) => setImmediate(resolve));

const TTL = 1_000;

/** A cache on a clock the test moves; jitter fixed at `random` (0 → 80 % of the TTL, 1 → 100 %). */
function cacheAt(options: Partial<CoalescingCacheOptions> = {}) {
  const clock = { now: 0 };
  const outcomes: LookupOutcome[] = [];
  const refreshFailures: unknown[] = [];
  const cache = new CoalescingCache<string>({
    ttlMs: TTL,
    maxEntries: 100,
    now: () => clock.now,
    random: () => 1,
    onLookup: (outcome) => outcomes.push(outcome),
    onRefreshFailed: (error) => refreshFailures.push(error),
    ...options,
  });
  return { cache, clock, outcomes, refreshFailures };
}

describe('CoalescingCache', () => {
  it('shares one read among concurrent misses of a key, and caches its answer', async () => {
    const { cache, outcomes } = cacheAt();
    const read = deferred<string>();
    let reads = 0;
    const readOnce = () => {
      reads += 1;
      return read.promise;
    };
    const answers = Promise.all(Array.from({ length: 200 }, () => cache.get('k', readOnce)));
    read.resolve('MEMBER');
    expect(new Set(await answers)).to.deep.equal(new Set(['MEMBER']));
    expect(await cache.get('k', readOnce)).to.equal('MEMBER');
    expect(reads).to.equal(1);
    expect(outcomes.filter((outcome) => outcome === 'hit')).to.have.length(1);
  });

  it('does not cache a failed read: every caller sees the error and the next lookup reads again', async () => {
    const { cache } = cacheAt();
    const failing = () => Promise.reject(new Error('timeout exceeded when trying to connect'));
    const answers = await Promise.allSettled([cache.get('k', failing), cache.get('k', failing)]);
    expect(answers.map((answer) => answer.status)).to.deep.equal(['rejected', 'rejected']);
    expect(await cache.get('k', () => Promise.resolve('MEMBER'))).to.equal('MEMBER');
  });

  it('drops a read in flight when its key is forgotten: not joined, and its older answer never stored', async () => {
    const { cache } = cacheAt();
    const before = deferred<string>();
    const inFlight = cache.get('k', () => before.promise);
    // The change notice arrives while the first read (which saw the old role) is in flight.
    cache.forget('k');
    const afterChange = cache.get('k', () => Promise.resolve('VIEWER'));
    expect(await afterChange).to.equal('VIEWER');
    before.resolve('MEMBER');
    expect(await inFlight).to.equal('MEMBER');
    await drain();
    expect(await cache.get('k', () => Promise.resolve('unexpected read'))).to.equal('VIEWER');
  });

  it('does not store an answer read before a change even when nobody looked again', async () => {
    const { cache } = cacheAt();
    const before = deferred<string>();
    const inFlight = cache.get('k', () => before.promise);
    cache.forget('k');
    before.resolve('MEMBER');
    await inFlight;
    await drain();
    expect(await cache.get('k', () => Promise.resolve('VIEWER'))).to.equal('VIEWER');
  });

  it('spreads the expiry of entries filled together over 80–100 % of the TTL', async () => {
    const jitter = [0, 0.5, 1];
    const { cache, clock } = cacheAt({ random: () => jitter.shift() ?? 1 });
    for (const key of ['a', 'b', 'c']) await cache.get(key, () => Promise.resolve('first'));
    const answersAt = async (now: number) => {
      clock.now = now;
      return Promise.all(['a', 'b', 'c'].map((key) => cache.get(key, () => Promise.resolve('second'))));
    };
    expect(await answersAt(799)).to.deep.equal(['first', 'first', 'first']);
    expect(await answersAt(800)).to.deep.equal(['second', 'first', 'first']);
    expect(await answersAt(900)).to.deep.equal(['second', 'second', 'first']);
    expect(await answersAt(1_000)).to.deep.equal(['second', 'second', 'second']);
  });

  describe('serveStale', () => {
    it('answers from an expired entry while one background read refreshes it', async () => {
      const { cache, clock, outcomes } = cacheAt();
      await cache.get('k', () => Promise.resolve('MEMBER'));
      clock.now = TTL;
      const refresh = deferred<string>();
      let reads = 0;
      const readOnce = () => {
        reads += 1;
        return refresh.promise;
      };
      const answers = await Promise.all(Array.from({ length: 50 }, () => cache.get('k', readOnce, { serveStale: true })));
      expect(new Set(answers)).to.deep.equal(new Set(['MEMBER']));
      expect(reads).to.equal(1);
      expect(outcomes.at(-1)).to.equal('stale');
      refresh.resolve('VIEWER');
      await drain();
      expect(await cache.get('k', () => Promise.resolve('unexpected read'), { serveStale: true })).to.equal('VIEWER');
      expect(outcomes.at(-1)).to.equal('hit');
    });

    it('keeps answering while the refresh fails, for one more TTL; then fails like a miss', async () => {
      const { cache, clock, refreshFailures } = cacheAt();
      await cache.get('k', () => Promise.resolve('MEMBER'));
      const unavailable = () => Promise.reject(new Error('timeout exceeded when trying to connect'));
      clock.now = TTL;
      expect(await cache.get('k', unavailable, { serveStale: true })).to.equal('MEMBER');
      await drain();
      clock.now = 2 * TTL - 1;
      expect(await cache.get('k', unavailable, { serveStale: true })).to.equal('MEMBER');
      await drain();
      expect(refreshFailures).to.have.length(2);
      clock.now = 2 * TTL;
      let failure: unknown;
      await cache.get('k', unavailable, { serveStale: true }).catch((error: unknown) => (failure = error));
      expect(failure).to.be.an('error');
    });

    it('is not used by lookups that did not ask for it: they read (and fail) as before', async () => {
      const { cache, clock } = cacheAt();
      await cache.get('k', () => Promise.resolve('MEMBER'));
      clock.now = TTL;
      let failure: unknown;
      await cache.get('k', () => Promise.reject(new Error('unavailable'))).catch((error: unknown) => (failure = error));
      expect(failure).to.be.an('error');
      // The expired entry survives a failed strict read: a live check may still use it.
      expect(await cache.get('k', () => Promise.reject(new Error('unavailable')), { serveStale: true })).to.equal('MEMBER');
      await drain();
    });

    it('has nothing to serve after a forget: a change takes effect at once', async () => {
      const { cache, clock } = cacheAt();
      await cache.get('k', () => Promise.resolve('MEMBER'));
      clock.now = TTL;
      cache.forget('k');
      expect(await cache.get('k', () => Promise.resolve('REMOVED'), { serveStale: true })).to.equal('REMOVED');
    });
  });
});
