import { Repeater } from '@repeaterjs/repeater';
import type { ExecutionResult } from 'graphql';
import { RateLimitedError, UnauthenticatedError } from '../graphql/errors.js';

/**
 * Live subscriptions per socket and per user (this process): a slot is taken when a subscription
 * starts and given back when its stream ends, however it ends.
 */
export class SubscriptionSlots {
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly perSocketMax: number,
    private readonly perUserMax: number,
  ) {}

  /** Takes a slot or throws RATE_LIMITED; returns the function that gives it back (once). */
  take(socket: { live: number }, userId: string): () => void {
    if (socket.live >= this.perSocketMax) throw new RateLimitedError(1, `At most ${this.perSocketMax} subscriptions per connection`);
    const used = this.perUser.get(userId) ?? 0;
    if (used >= this.perUserMax) throw new RateLimitedError(1, `At most ${this.perUserMax} subscriptions per user`);
    socket.live += 1;
    this.perUser.set(userId, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      socket.live -= 1;
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }
}

/**
 * `source` until its token expires (`expiresAtMs`): then one UNAUTHENTICATED result and the end
 * of the stream. `release` runs when the stream ends for any reason (client, server, expiry).
 */
export function untilExpiry(
  source: AsyncIterable<ExecutionResult>,
  expiresAtMs: number | undefined,
  release: () => void,
): AsyncIterable<ExecutionResult> {
  return new Repeater<ExecutionResult>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    if (expiresAtMs !== undefined) {
      timer = setTimeout(
        () => {
          void push({ errors: [new UnauthenticatedError('The token expired')] }).catch(() => undefined);
          stop();
        },
        Math.max(0, Math.min(expiresAtMs - Date.now(), 2_147_483_647)),
      );
    }
    void stop.then(() => {
      clearTimeout(timer);
      release();
      // The source may have failed while nobody was reading it (e.g. a subscriber's re-check could not
      // get a database connection while the previous event was still being sent): its return() then
      // rejects with that error. The client is gone, so it has nobody to go to; left unhandled it
      // would end the process (Node exits on an unhandled rejection) and every socket with it.
      Promise.resolve(iterator.return?.()).catch(() => undefined);
    });
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), stop.then(() => undefined)]);
        if (!next || next.done) break;
        await push(next.value);
      }
      stop();
    } catch (error) {
      stop(error);
    }
  });
}
