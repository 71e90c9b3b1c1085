import { createTransport, type Transporter } from 'nodemailer';
import { defineService } from '../../engine/module.js';
import type { AppServices } from '../../engine/services.js';

export interface AccountMail {
  to: string;
  subject: string;
  text: string;
}

/** Account e-mail (verification, password reset) through the configured SMTP relay; without one, logged as not sent. */
export class AccountMailer {
  private readonly transport: Transporter | null;

  constructor(private readonly services: AppServices) {
    const { smtpUrl } = services.config.mail;
    this.transport = smtpUrl ? createTransport({ url: smtpUrl, connectionTimeout: 10_000, socketTimeout: 10_000 }) : null;
  }

  /** Sends in the background: the caller's answer must not depend on (or wait for) delivery. */
  sendLater(mail: AccountMail): void {
    if (!this.transport) {
      this.services.log.warn({ subject: mail.subject }, 'account e-mail not sent: SMTP_URL is not set');
      return;
    }
    this.transport
      .sendMail({ from: this.services.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text })
      .catch((error: unknown) => this.services.log.error({ err: error, subject: mail.subject }, 'account e-mail failed'));
  }

  close(): void {
    this.transport?.close();
  }
}

export const accountMailer = defineService(
  'accounts.mailer',
  (services) => new AccountMailer(services),
  async (mailer) => mailer.close(),
);
