import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueJob } from '../../engine/jobs/job-queue.js';
import type { TenantTask } from '../../engine/jobs/worker.js';
import type { AppServices } from '../../engine/services.js';
import { notificationDispatcher } from './notification-dispatcher.js';
import type { NotificationInput } from './notification-provider.js';

export const DELIVER_NOTIFICATION_TASK = 'deliver-notification';

/**
 * Queues a notification in `em`'s transaction (a request's or a job's, scoped to the tenant): it
 * is delivered by a worker once that transaction commits, never if it rolls back, and survives a
 * crash of the process that caused it.
 */
export async function enqueueNotification(em: EntityManager, input: NotificationInput): Promise<void> {
  await enqueueJob(em, DELIVER_NOTIFICATION_TASK, { ...input }, { maxAttempts: 5 });
}

export function notificationTasks(services: AppServices): Record<string, TenantTask> {
  return {
    [DELIVER_NOTIFICATION_TASK]: (payload) => services.get(notificationDispatcher).deliver(payload as unknown as NotificationInput),
  };
}
