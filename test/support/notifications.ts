import type { NotificationInput } from '../../src/modules/notifications/notification-provider.js';
import { testEnv } from '../setup/environment.js';
import { adminQuery } from './sql.js';

/** Sends a notification through the test gateway's dispatcher, waits for it, and returns its stored id. */
export async function sendNotification(input: NotificationInput): Promise<string> {
  const { notifications } = testEnv().services;
  notifications.notify(input);
  await notifications.drain();
  const [row] = await adminQuery<{ id: string }>(
    'select id from notifications where tenant_id = $1 and user_id = $2 and title = $3 order by created_at desc limit 1',
    [input.tenantId, input.userId, input.title],
  );
  if (!row) throw new Error(`The notification "${input.title}" was not stored`);
  return row.id;
}
