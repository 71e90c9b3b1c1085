import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationDelivery, NotificationProvider } from '../notification-provider.js';

export interface EmailProviderOptions {
  /** smtp:// or smtps:// URL of the relay, credentials included if it needs them. */
  smtpUrl: string;
  from: string;
  timeoutMs?: number;
}

/** Sends a notification as a plain-text e-mail through an SMTP relay (nodemailer). */
export class EmailProvider implements NotificationProvider {
  readonly channel = 'email';
  private readonly transport: Transporter;

  constructor(private readonly options: EmailProviderOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = createTransport({
      url: options.smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send({ notification, recipient, tenant }: NotificationDelivery): Promise<void> {
    await this.transport.sendMail({
      from: this.options.from,
      to: { name: recipient.name, address: recipient.email },
      subject: `[${tenant.name}] ${notification.title}`,
      text: notification.body ? `${notification.body}\n` : `${notification.title}\n`,
      headers: { 'X-Tessera-Notification': notification.id },
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
