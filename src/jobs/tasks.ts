import { lifecycleTasks } from '../modules/lifecycle/lifecycle.tasks.js';
import { notificationTasks } from '../modules/notifications/notification.jobs.js';
import { provisioningTasks } from '../modules/provisioning/provisioning.task.js';
import type { AppServices } from '../services.js';
import type { TenantTask } from './worker.js';

/** Every background task, by name; a module adds its own here. */
export function allTasks(services: AppServices): Record<string, TenantTask> {
  return { ...provisioningTasks(services), ...lifecycleTasks(services), ...notificationTasks(services) };
}
