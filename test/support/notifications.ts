import type { NotificationInput } from '../../src/modules/notifications/notification-provider.js';
import { testEnv } from '../setup/environment.js';
import { adminQuery } from './sql.js';
import { waitUntil } from './wait.js';
import { notificationDispatcher } from '../../src/modules/notifications/notification-dispatcher.js';

/** Delivers a notification as the deliver-notification job does, and returns its stored id. */
export async function sendNotification(input: NotificationInput): Promise<string> {
  await testEnv().services.get(notificationDispatcher).deliver(input);
  const [row] = await adminQuery<{ id: string }>(
    'select id from notifications where tenant_id = $1 and user_id = $2 and title = $3 order by created_at desc limit 1',
    [input.tenantId, input.userId, input.title],
  );
  if (!row) throw new Error(`The notification "${input.title}" was not stored`);
  return row.id;
}

/** Waits until the job worker has no notification left to deliver, in its queue or on the way there. */
export async function notificationsDelivered(timeoutMs = 10_000): Promise<void> {
  await waitUntil(
    () =>
      adminQuery<{ pending: number }>(
        `select (select count(*)::int from graphile_worker.jobs where task_identifier = 'deliver-notification')
              + (select count(*)::int from job_outbox where task = 'deliver-notification') as pending`,
      ),
    ([row]) => row?.pending === 0,
    timeoutMs,
  );
}
