import type { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpSettings } from '../../parameters/smtp-settings.js';
import { SmtpTranscript } from './smtp-transcript.js';

/** Thrown-through SMTP error facts (nodemailer's SMTPError). */
export type SmtpError = SMTPConnection.SMTPError;

/** One open, authenticated SMTP connection with its transcript. */
export class SmtpSession {
  readonly transcript = new SmtpTranscript();
  private readonly connection: SMTPConnection;
  private broken = false;
  private messagesSent = 0;

  private constructor(settings: SmtpSettings) {
    const implicitTls = settings.implicitTls ?? settings.port === 465;
    this.connection = new SMTPConnection({
      host: settings.host,
      port: settings.port,
      secure: implicitTls,
      requireTLS: settings.requireTls && !implicitTls,
      connectionTimeout: settings.connectionTimeoutMs,
      greetingTimeout: settings.connectionTimeoutMs,
      socketTimeout: settings.connectionTimeoutMs * 2,
      logger: this.transcript.logger as never,
      debug: true,
      tls: {
        ...(settings.ca !== undefined ? { ca: settings.ca } : {}),
        servername: settings.servername ?? settings.host,
        minVersion: 'TLSv1.2',
      },
    });
    this.connection.on('error', () => {
      this.broken = true;
    });
    this.connection.on('end', () => {
      this.broken = true;
    });
  }

  /** Connects (STARTTLS / TLS as configured) and authenticates when a user name is set. */
  static async open(settings: SmtpSettings): Promise<SmtpSession> {
    const session = new SmtpSession(settings);
    await new Promise<void>((resolve, reject) => session.connection.connect((err) => (err ? reject(err) : resolve())));
    session.transcript.note(`connected to ${settings.host}:${settings.port}${session.connection.secure ? ' (TLS)' : ' (no TLS)'}`);
    if (settings.username !== undefined) {
      if (!session.connection.allowsAuth) {
        session.close();
        throw Object.assign(new Error('Server does not support authentication (no AUTH in the EHLO reply)'), { code: 'ENOAUTH' });
      }
      await new Promise<void>((resolve, reject) =>
        session.connection.login({ user: settings.username as string, pass: settings.password ?? '' }, (err) => (err ? reject(err) : resolve())),
      );
    }
    return session;
  }

  get usable(): boolean {
    return !this.broken;
  }

  get secure(): boolean {
    return this.connection.secure;
  }

  /** Sends one message on this connection (RSET first when reused). */
  async send(envelope: { from: string; to: string[] }, message: Readable): Promise<SMTPConnection.SentMessageInfo> {
    if (this.messagesSent > 0) {
      await new Promise<void>((resolve, reject) => this.connection.reset((err) => (err ? reject(err) : resolve())));
    }
    this.messagesSent += 1;
    return new Promise((resolve, reject) => this.connection.send(envelope, message, (err, info) => (err ? reject(err) : resolve(info))));
  }

  close(): void {
    this.broken = true;
    this.connection.quit();
    this.connection.close();
  }
}
