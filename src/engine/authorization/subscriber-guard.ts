import { Repeater } from '@repeaterjs/repeater';
import { subscribeTo, type TopicMap, type TopicName } from '../pubsub/pubsub.js';
import type { RequestContext } from '../context.js';
import { roleAtLeast, type Role } from '../identity/roles.js';
import { ForbiddenError, TenantRequiredError, UnauthenticatedError } from '../graphql/errors.js';

/**
 * Subscriptions live for minutes while shield only guards `resolve`: a subscriber is checked when
 * subscribing and again while events flow (membership, role and tenant still served), so a member
 * who is removed or demoted, or a tenant suspended away, stops receiving events.
 */
export class SubscriberGuard {
  private constructor(
    private readonly ctx: RequestContext,
    private readonly minimum: Role,
  ) {}

  /** Refuses the subscription now with the same errors a query would get. */
  static async open(ctx: RequestContext, minimum: Role): Promise<SubscriberGuard> {
    if (!ctx.user) throw new UnauthenticatedError();
    if (!ctx.tenant) throw new TenantRequiredError();
    const guard = new SubscriberGuard(ctx, minimum);
    if (!(await guard.allowed({ live: false }))) throw new ForbiddenError();
    return guard;
  }

  /**
   * True while the subscriber may still receive this tenant's events: asked again for every event,
   * from the tenant directory and the membership cache (both invalidated by changes), so an event
   * costs no database round trip per subscriber.
   *
   * `live`: the check of a subscription already running, for an event. When its cached tenant or
   * role has merely expired (the TTL is the safety net for a change notice that got lost) it is
   * answered from the expired entry for up to one more TTL while one background read refreshes it,
   * so a burst of expiries or a database that is briefly unreachable does not end healthy
   * subscriptions. A change (member removed or demoted, tenant suspended) deletes the entry, so it
   * still ends the subscription at the next event. Without a cached answer the read can fail, and
   * the subscription then ends with SERVICE_UNAVAILABLE (fail closed). Opening a subscription
   * never uses an expired answer.
   */
  async allowed({ live = true }: { live?: boolean } = {}): Promise<boolean> {
    const { services, tenant, user } = this.ctx;
    const lookup = { serveStale: live };
    const current = await services.tenants.byId(tenant!.id, undefined, lookup);
    if (!current?.isServed()) return false;
    return roleAtLeast(await services.memberships.roleOf(tenant!.id, user!.id, lookup), this.minimum);
  }

  /**
   * The events of `topic` that `accept` lets through, mapped for the client, until the client
   * leaves or the guard says no (the stream then ends).
   */
  stream<K extends TopicName, T>(topic: K, accept: (event: TopicMap[K]) => boolean, map: (event: TopicMap[K]) => T): AsyncIterable<T> {
    const live = subscribeTo(this.ctx.services.pubSub, topic);
    return new Repeater<T>(async (push, stop) => {
      void stop.then(() => live.return?.());
      for await (const event of live) {
        if (!accept(event)) continue;
        if (!(await this.allowed())) break;
        await push(map(event));
      }
      stop();
    });
  }
}
