import { postJson, type OutboundRequestOptions } from '../../../engine/net/outbound-http.js';
import type { NotificationDelivery, NotificationProvider } from '../notification-provider.js';

/**
 * Posts to the tenant's Slack incoming webhook through the SSRF-safe client. `outbound` exists for
 * tests (a stand-in on 127.0.0.1 with its own certificate); production uses the defaults, which
 * refuse every non-public address.
 */
export class SlackProvider implements NotificationProvider {
  readonly channel = 'slack';

  constructor(private readonly outbound: OutboundRequestOptions = {}) {}

  async send({ notification, tenant, settings }: NotificationDelivery): Promise<void> {
    if (!settings.slackWebhookUrl) return;
    const text = [`*${escapeSlack(notification.title)}*`, escapeSlack(notification.body)].filter(Boolean).join('\n');
    await postJson(settings.slackWebhookUrl, { text: `${text}\n_${escapeSlack(tenant.name)}_` }, this.outbound);
  }
}

/** Slack reads <, > and & as markup (links, mentions): user text must not become any. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
