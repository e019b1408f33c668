import nodemailer from 'nodemailer';
import type { Transport } from './repository';

export interface OutgoingMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
}

export interface MailSettings {
  /** `smtp`: sent through the mail server; `outbox`: kept on the admin's outbox page only (development). */
  transport: Transport;
  /** smtp:// or smtps://, with the user and password if the server wants them. */
  smtpUrl: string | undefined;
  from: string;
}

export interface Mailer {
  readonly transport: Transport;
  /** Resolves once the mail server has accepted the message; throws when it has not. */
  send(mail: OutgoingMail): Promise<void>;
  /** Whether the mail server answers and accepts the credentials: checked at start, reported, never fatal. */
  verify(): Promise<void>;
  close(): void;
}

/** Sends mail over SMTP with nodemailer, or, for development, keeps it in the outbox and sends nothing. */
export function createMailer(settings: MailSettings): Mailer {
  if (settings.transport === 'outbox' || !settings.smtpUrl)
    return { transport: 'outbox', send: async () => {}, verify: async () => {}, close: () => {} };
  const transporter = nodemailer.createTransport(settings.smtpUrl);
  return {
    transport: 'smtp',
    async send(mail) {
      await transporter.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    async verify() {
      await transporter.verify();
    },
    close: () => transporter.close(),
  };
}
