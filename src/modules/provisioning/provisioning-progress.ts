import { Repeater } from '@repeaterjs/repeater';
import { ForbiddenError, UnauthenticatedError } from '../../engine/graphql/errors.js';
import type { RequestContext } from '../../engine/context.js';
import type { Provisioning } from './provisioning.entity.js';
import { provisioningTopic, toProvisioningEvent } from './provisioning.events.js';
import { findVisibleProvisioning } from './provisioning.service.js';
import { ProvisioningStatus, ProvisioningStepStatus, type ProvisioningEvent } from './provisioning.types.js';

const FINISHED = new Set([ProvisioningStatus.COMPLETED, ProvisioningStatus.FAILED]);

/** What already happened, as the events a subscriber would have seen, in step order. */
function history(provisioning: Provisioning): ProvisioningEvent[] {
  const at = provisioning.updatedAt;
  const base = { provisioningId: provisioning.id, status: provisioning.status, at };
  // A step that has started is replayed as its RUNNING event, then its outcome, like it happened live.
  const steps = provisioning.steps
    .getItems()
    .filter((step) => step.status !== ProvisioningStepStatus.PENDING)
    .flatMap((step) =>
      [ProvisioningStepStatus.RUNNING, step.status]
        .filter((status, index, all) => all.indexOf(status) === index)
        .map((stepStatus) => ({ ...base, step: step.step, stepStatus, message: `${step.step}: ${stepStatus.toLowerCase()}` })),
    );
  const finished = FINISHED.has(provisioning.status)
    ? [{ ...base, step: null, stepStatus: null, message: provisioning.failureReason ?? 'Tenant is ready' }]
    : [];
  return [...steps, ...finished];
}

const key = (event: ProvisioningEvent) => `${event.step}|${event.stepStatus}|${event.status}`;

/**
 * The `provisioningProgress` stream: authorised when subscribing (shield does not guard
 * `subscribe`), the run's history first, then live events from its own topic until it finishes.
 * The live feed is opened before the history is read, so nothing falls between the two.
 */
export async function provisioningProgress(ctx: RequestContext, id: string): Promise<AsyncIterable<ProvisioningEvent>> {
  if (!ctx.user) throw new UnauthenticatedError();
  const first = await findVisibleProvisioning(ctx, id);
  if (!first) throw new ForbiddenError();
  const live = ctx.services.pubSub.subscribe(provisioningTopic(first.tenant.id, first.id));
  const snapshot = (await findVisibleProvisioning(ctx, id))!;
  return new Repeater<ProvisioningEvent>(async (push, stop) => {
    // An unsubscribing client ends the live feed too (a pending `for await` would otherwise hang).
    void stop.then(() => live.return?.());
    const seen = new Set<string>();
    for (const event of history(snapshot)) {
      seen.add(key(event));
      await push(event);
    }
    if (!FINISHED.has(snapshot.status)) {
      for await (const message of live) {
        const event = toProvisioningEvent(message);
        if (event.provisioningId !== snapshot.id || seen.has(key(event))) continue;
        await push(event);
        if (event.step === null && FINISHED.has(event.status)) break;
      }
    }
    stop();
  });
}
