import type { AppPubSub } from '../../engine/pubsub/pubsub.js';
import type { ProvisioningEvent } from './provisioning.types.js';

/** One topic per run, named by tenant and run: nobody else's progress can arrive on it. */
export function provisioningTopic(tenantId: string, provisioningId: string): `provisioning:${string}` {
  return `provisioning:${tenantId}:${provisioningId}`;
}

export interface ProvisioningEventMessage extends Omit<ProvisioningEvent, 'at'> {
  at: string;
}

declare module '../../engine/pubsub/pubsub.js' {
  interface TopicMap {
    [topic: `provisioning:${string}`]: ProvisioningEventMessage;
  }
}

export function publishProvisioningEvent(pubSub: AppPubSub, tenantId: string, event: Omit<ProvisioningEventMessage, 'at'>): void {
  pubSub.publish(provisioningTopic(tenantId, event.provisioningId), { ...event, at: new Date().toISOString() });
}

export function toProvisioningEvent(event: ProvisioningEventMessage): ProvisioningEvent {
  return { ...event, at: new Date(event.at) };
}
