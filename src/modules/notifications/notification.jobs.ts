import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueJob } from '../../jobs/job-queue.js';
import type { TenantTask } from '../../jobs/worker.js';
import type { AppServices } from '../../services.js';
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
    [DELIVER_NOTIFICATION_TASK]: (payload) => services.notifications.deliver(payload as unknown as NotificationInput),
  };
}
