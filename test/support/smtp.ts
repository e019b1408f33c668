import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP server received it: its headers of interest and its text. */
export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  /** The body, decoded from quoted-printable. */
  text: string;
  raw: string;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /**
   * Decides each message's fate before the server answers: throw to refuse it (the sender sees a temporary
   * failure), or do something first (kill the sender). Runs once the whole message has arrived.
   */
  onMessage: (mail: ReceivedMail) => void;
  close(): Promise<void>;
}

/** Unfolds a header of a raw message (RFC 5322 allows long headers over several lines). */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return (match?.[1] ?? '').replace(/\r?\n[ \t]+/g, ' ').trim();
}

function decodeQuotedPrintable(body: string): string {
  return Buffer.from(
    body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

/**
 * What a server process sending mail to `smtp` is started with in tests: jobs polled, retried and timed out
 * within seconds, so a killed or refused send is retried while the test waits.
 */
export function quickMailEnv(smtp: TestSmtpServer): Record<string, string> {
  return {
    MAIL_TRANSPORT: 'smtp',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Case Audit <case-audit@demoshire.gov.uk>',
    JOB_POLL_SECONDS: '1',
    JOB_MAINTENANCE_SECONDS: '1',
    JOB_RETRY_DELAY_SECONDS: '1',
    NOTIFICATION_SEND_TIMEOUT_SECONDS: '2',
  };
}

/** A real SMTP server (the smtp-server package) on a free port, keeping what it receives. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const state: TestSmtpServer = {
    url: '',
    received,
    onMessage: () => {},
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = {
          messageId: header(raw, 'Message-ID'),
          to: header(raw, 'To'),
          subject: header(raw, 'Subject'),
          text: decodeQuotedPrintable(
            raw
              .split(/\r?\n\r?\n/)
              .slice(1)
              .join('\n\n'),
          ),
          raw,
        };
        try {
          state.onMessage(mail);
        } catch (err) {
          return callback(Object.assign(err as Error, { responseCode: 451 }));
        }
        received.push(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}
