import type { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SmtpSettings } from '../../parameters/smtp-settings.js';
import { SmtpTranscript } from './smtp-transcript.js';

/** Thrown-through SMTP error facts (nodemailer's SMTPError). */
export type SmtpError = SMTPConnection.SMTPError;

/** AUTH mechanisms nodemailer can run with a user name and password. */
const PASSWORD_MECHANISMS = new Set(['PLAIN', 'LOGIN', 'CRAM-MD5']);

/**
 * The AUTH mechanisms of the EHLO reply, upper-cased, or undefined when the
 * reply listed none (HELO fallback: nodemailer then assumes AUTH and tries PLAIN).
 * nodemailer keeps only the mechanisms it knows; the raw EHLO lines (returned
 * to callers as `SentMessageInfo.ehlo`) also name the others (NTLM, GSSAPI…).
 */
function offeredAuthMechanisms(connection: SMTPConnection): string[] | undefined {
  const lines = (connection as unknown as { _ehloLines?: unknown })._ehloLines;
  if (!Array.isArray(lines)) return undefined;
  const mechanisms = new Set<string>();
  for (const line of lines) {
    const match = typeof line === 'string' ? /^AUTH[\s=](.*)/i.exec(line) : null;
    for (const mechanism of match?.[1]?.split(/[\s=]+/) ?? []) if (mechanism !== '') mechanisms.add(mechanism.toUpperCase());
  }
  return mechanisms.size === 0 ? undefined : [...mechanisms];
}

/**
 * Thrown when the server offers AUTH, but only mechanisms a password cannot
 * sign in with (XOAUTH2, NTLM, GSSAPI…): `mechanisms` lists what it offered.
 */
export class UnusableAuthError extends Error {
  readonly code = 'ENOAUTHMECH';

  constructor(readonly mechanisms: readonly string[]) {
    super(`Server does not support authentication with a password: its EHLO reply offers AUTH ${mechanisms.join(' ')}, but not PLAIN or LOGIN`);
    this.name = 'UnusableAuthError';
  }
}

/** One open, authenticated SMTP connection with its transcript. */
export class SmtpSession {
  readonly transcript = new SmtpTranscript();
  private readonly connection: SMTPConnection;
  private broken = false;

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
      // Commands and replies, but not the message itself (`debug` would log every line of it).
      transactionLog: true,
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

  /**
   * Runs one SMTPConnection step. nodemailer reports some failures through the
   * callback and others (connect, TLS, socket) only as 'error' / 'end' events.
   */
  private step<T>(start: (done: (err: SmtpError | null | undefined, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onError = (err: Error): void => finish(err);
      const onEnd = (): void => finish(Object.assign(new Error('Connection closed by the server'), { code: 'ECONNECTION' }));
      const finish = (err: Error | null | undefined, value?: T): void => {
        this.connection.removeListener('error', onError);
        this.connection.removeListener('end', onEnd);
        if (err) reject(err);
        else resolve(value as T);
      };
      this.connection.once('error', onError);
      this.connection.once('end', onEnd);
      start(finish);
    });
  }

  /**
   * Connects (STARTTLS / TLS as configured; STARTTLS whenever the server offers it) and
   * authenticates when a user name is set, never over an unencrypted connection unless
   * `allowInsecureAuth`. On failure the connection is closed and the error carries the
   * transcript so far as `transcript`.
   */
  static async open(settings: SmtpSettings): Promise<SmtpSession> {
    const session = new SmtpSession(settings);
    try {
      await session.step<void>((done) => session.connection.connect(() => done(null)));
      session.transcript.note(`connected to ${settings.host}:${settings.port}${session.connection.secure ? ' (TLS)' : ' (no TLS)'}`);
      if (settings.username !== undefined) {
        if (!session.connection.secure && !settings.allowInsecureAuth) {
          throw Object.assign(new Error('The connection is not encrypted (the server offers no STARTTLS), so the user name and password would be sent in clear; AUTH was not sent'), { code: 'EINSECUREAUTH' });
        }
        if (!session.connection.allowsAuth) {
          throw Object.assign(new Error('Server does not support authentication (no AUTH in the EHLO reply)'), { code: 'ENOAUTH' });
        }
        const offered = offeredAuthMechanisms(session.connection);
        if (offered !== undefined && !offered.some((m) => PASSWORD_MECHANISMS.has(m))) throw new UnusableAuthError(offered);
        await session.step<void>((done) => session.connection.login({ user: settings.username as string, pass: settings.password ?? '' }, (err) => done(err)));
      }
      return session;
    } catch (error) {
      session.close();
      throw Object.assign(error as Error, { transcript: session.transcript });
    }
  }

  get usable(): boolean {
    return !this.broken;
  }

  get secure(): boolean {
    return this.connection.secure;
  }

  /**
   * Sends one message on this connection. No RSET between messages: a session
   * is reused only after a completed transaction (the provider closes it on any
   * failure), and MAIL may follow a completed transaction (RFC 5321 §4.1.4).
   */
  send(envelope: { from: string; to: string[] }, message: Readable): Promise<SMTPConnection.SentMessageInfo> {
    return this.step<SMTPConnection.SentMessageInfo>((done) => this.connection.send(envelope, message, (err, info) => done(err, info)));
  }

  /**
   * Sends `MAIL FROM:<address>` and resets the transaction (RSET): whether the server takes
   * this sender, without sending anything. Resolves with the server's reply, rejects with its
   * refusal as an SMTP error (`responseCode`, `response`). Uses SMTPConnection's command queue
   * (`_sendCommand`, `_responseActions`), which it has no public method for.
   */
  probeMailFrom(address: string): Promise<string> {
    const internals = this.connection as unknown as { _sendCommand(command: string): void; _responseActions: ((reply: string) => void)[] };
    const reply = this.step<string>((done) => {
      internals._responseActions.push((line: string) => {
        const code = Number(line.slice(0, 3));
        if (code >= 200 && code < 300) done(null, line);
        else done(Object.assign(new Error(`Sender refused: ${line}`), { code: 'EENVELOPE', command: 'MAIL FROM', response: line, responseCode: code }) as SmtpError);
      });
      internals._sendCommand(`MAIL FROM:<${address}>`);
    });
    return reply.then(async (line) => {
      await this.step<void>((done) => this.connection.reset((err) => done(err)));
      return line;
    });
  }

  /** Ends the session politely (QUIT) and closes the connection once the server answered. */
  quit(): Promise<void> {
    this.broken = true;
    return new Promise<void>((resolve) => {
      this.connection.once('end', () => resolve());
      this.connection.quit();
    });
  }

  close(): void {
    this.broken = true;
    this.connection.quit();
    this.connection.close();
  }
}
