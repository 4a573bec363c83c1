import { Socket } from 'node:net';
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

/**
 * The connection broke or timed out after the whole message was handed to it, before the
 * server answered the final dot: the server may have accepted the message. `cause` is
 * nodemailer's error.
 */
export class OutcomeUnknownError extends Error {
  readonly code = 'EOUTCOMEUNKNOWN';

  constructor(override readonly cause: Error) {
    super(`The connection broke after the whole message was sent, before the server answered (${cause.message}): it may have been delivered`);
    this.name = 'OutcomeUnknownError';
  }
}

/**
 * A pooled connection failed before this message's transaction got anywhere (no reply to
 * MAIL FROM, nothing of the message read): the server had closed it, usually its idle
 * timeout crossing our command. Nothing was sent; a new connection may send the message.
 */
export class StaleConnectionError extends Error {
  constructor(override readonly cause: Error) {
    super(`The server closed the pooled connection as it was reused (${cause.message})`);
    this.name = 'StaleConnectionError';
  }
}

/** RFC 5321 section 4.5.3.2.6: after the final dot, wait up to 10 minutes for the server's reply (it may still be reading the message, or scanning it). */
const FINAL_REPLY_TIMEOUT_MS = 10 * 60_000;

/** An error the server did not answer with a reply code: the connection broke, or timed out. */
const connectionLevel = (error: unknown): error is Error => error instanceof Error && (error as SmtpError).responseCode === undefined;

/** One open, authenticated SMTP connection with its transcript. */
export class SmtpSession {
  readonly transcript = new SmtpTranscript();
  private readonly connection: SMTPConnection;
  private broken = false;
  /** Messages this connection has been given, this one included. */
  private sends = 0;

  private constructor(private readonly settings: SmtpSettings) {
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
   * Once the whole message is handed to the socket, the server gets up to 10 minutes
   * to answer (RFC 5321 §4.5.3.2.6): a slow server may still be reading it from the
   * network buffers. A connection that breaks then throws {@link OutcomeUnknownError};
   * a reused connection that breaks before the transaction got anywhere throws
   * {@link StaleConnectionError}.
   */
  async send(envelope: { from: string; to: string[] }, message: Readable): Promise<SMTPConnection.SentMessageInfo> {
    this.sends += 1;
    let handedOver = false;
    // The message is handed over once nodemailer has read all of it and the socket has passed every
    // byte (the final dot included) to the network; a server that stopped reading never lets it.
    message.once('end', () =>
      this.whenWritten(() => {
        handedOver = true;
        this.socketTimeout(FINAL_REPLY_TIMEOUT_MS);
      }),
    );
    try {
      return await this.step<SMTPConnection.SentMessageInfo>((done) => this.connection.send(envelope, message, (err, info) => done(err, info)));
    } catch (error) {
      if (connectionLevel(error) && handedOver) throw new OutcomeUnknownError(error);
      if (connectionLevel(error) && this.sends > 1 && !message.readableDidRead) throw new StaleConnectionError(error);
      throw error;
    } finally {
      this.socketTimeout(this.settings.connectionTimeoutMs * 2);
    }
  }

  /**
   * nodemailer's socket: it has no option for the final reply's timeout, nor says when the
   * message has left its buffers. Undefined if that ever changes (the defaults then apply).
   */
  private get socket(): Socket | undefined {
    const socket = (this.connection as unknown as { _socket?: unknown })._socket;
    return socket instanceof Socket ? socket : undefined;
  }

  /** Sets the socket's inactivity timeout. */
  private socketTimeout(ms: number): void {
    this.socket?.setTimeout(ms);
  }

  /** Calls `written` once everything given to the socket so far has been passed to the network. */
  private whenWritten(written: () => void): void {
    setImmediate(() => {
      const socket = this.socket;
      if (socket === undefined || socket.destroyed) return;
      if (socket.writableLength === 0) written();
      else socket.once('drain', () => this.whenWritten(written));
    });
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
