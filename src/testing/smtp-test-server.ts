import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { selfSignedCertificate } from './self-signed-cert.js';

/**
 * A scripted reply: the server answers `code message` instead of accepting, to MAIL FROM when
 * `from` matches, to RCPT TO when `rcpt` matches (addresses compared case-insensitively), or at
 * the end of DATA when `onData` (for every message, or those from `from`). The first rule that
 * matches answers.
 */
export interface SmtpRule {
  /** The sender (MAIL FROM) this rule answers; with `onData`, the sender whose message it refuses. */
  from?: string;
  /** The recipient (RCPT TO) this rule refuses. */
  rcpt?: string;
  /** Answer at the end of DATA, once the message is received. @default false */
  onData?: boolean;
  /** The SMTP reply code, e.g. 550 (permanent) or 451 (transient). */
  code: number;
  /** The reply text after the code, usually with an enhanced status code: "5.7.1 Client does not have permissions to send as this sender". */
  message: string;
  /** Apply only this many times (then accept). @default always */
  times?: number;
}

/** Options of {@link startSmtpTestServer}. */
export interface SmtpTestServerOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (535 5.7.3 otherwise). @default no AUTH required */
  auth?: { username: string; password: string };
  /** AUTH mechanisms offered. @default ['PLAIN', 'LOGIN'] */
  authMethods?: string[];
  /** Offer no AUTH at all. @default false */
  noAuth?: boolean;
  /** Offer STARTTLS (self-signed certificate made in the test). @default true */
  starttls?: boolean;
  /** Implicit TLS from the first byte. @default false */
  secure?: boolean;
  /** SIZE limit advertised and enforced, in bytes. */
  size?: number;
  /** Scripted replies, the first matching one answering. @default none: everything is accepted */
  rules?: SmtpRule[];
  /** Milliseconds to hold each DATA before answering (to catch a client mid-send). @default 0 */
  dataDelayMs?: number;
}

/** One message as received. */
export interface ReceivedMessage {
  /** The SMTP envelope: MAIL FROM and every RCPT TO, Bcc included. */
  envelope: { mailFrom: string; rcptTo: string[] };
  /** Authenticated user name, if any. */
  user?: string;
  /** Whether the session was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  /** The message's bytes as received (RFC 5322). */
  raw: Buffer;
  /** The message parsed by mailparser: headers, addresses, text, HTML, attachments. */
  parsed: ParsedMail;
}

/** A running test server. */
export interface SmtpTestServer {
  /** Where it listens: always 127.0.0.1. */
  host: string;
  /** The port it listens on (chosen by the system). */
  port: number;
  /** PEM certificate of its TLS (STARTTLS or implicit): give it as the client's `ca`, with `servername: 'localhost'`. */
  certificate: string;
  /** Every message accepted, in order of arrival. */
  messages: ReceivedMessage[];
  /** Every AUTH attempt's user name and outcome. */
  authAttempts: { username: string; ok: boolean }[];
  /** Every MAIL FROM address received, accepted or not. */
  mailFrom: string[];
  /** Forgets received messages and rule counters. */
  reset(): void;
  /** Resolves when at least `count` messages have arrived. */
  waitForMessages(count: number): Promise<ReceivedMessage[]>;
  /** Stops listening and closes the connections. */
  close(): Promise<void>;
}

const smtpError = (code: number, message: string): Error => Object.assign(new Error(message), { responseCode: code });

/**
 * A real SMTP server on 127.0.0.1 (smtp-server) for tests, mailwright's own and a host's
 * (`mailwright/testing`): AUTH PLAIN/LOGIN, STARTTLS or implicit TLS with a self-signed
 * certificate, SIZE, scripted replies per sender / recipient / DATA. It records every message
 * it accepts, parsed with mailparser.
 */
export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const { key, cert } = await selfSignedCertificate();
  const messages: ReceivedMessage[] = [];
  const authAttempts: { username: string; ok: boolean }[] = [];
  const mailFrom: string[] = [];
  const used = new Map<SmtpRule, number>();
  const waiters: { count: number; resolve: (m: ReceivedMessage[]) => void }[] = [];
  const rules = options.rules ?? [];

  const applies = (rule: SmtpRule): boolean => {
    const count = used.get(rule) ?? 0;
    if (rule.times !== undefined && count >= rule.times) return false;
    used.set(rule, count + 1);
    return true;
  };
  const ruleFor = (pick: (r: SmtpRule) => boolean): SmtpRule | undefined => rules.find((r) => pick(r) && applies(r));
  const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

  const config: SMTPServerOptions = {
    secure: options.secure === true,
    key,
    cert,
    logger: false,
    banner: 'mailwright test server',
    disableReverseLookup: true,
    authMethods: options.authMethods ?? ['PLAIN', 'LOGIN'],
    authOptional: options.auth === undefined,
    allowInsecureAuth: options.starttls === false,
    disabledCommands: [...(options.noAuth ? ['AUTH'] : []), ...(options.starttls === false ? ['STARTTLS'] : [])],
    ...(options.size !== undefined ? { size: options.size } : {}),
    onAuth(auth, _session, callback) {
      const ok = options.auth !== undefined && auth.username === options.auth.username && auth.password === options.auth.password;
      authAttempts.push({ username: auth.username ?? '', ok });
      if (!ok) return callback(smtpError(535, '5.7.3 Authentication unsuccessful'));
      return callback(null, { user: auth.username });
    },
    onMailFrom(address, _session, callback) {
      mailFrom.push(address.address);
      const rule = ruleFor((r) => same(r.from, address.address) && !r.onData);
      callback(rule ? smtpError(rule.code, rule.message) : null);
    },
    onRcptTo(address, _session, callback) {
      const rule = ruleFor((r) => same(r.rcpt, address.address));
      callback(rule ? smtpError(rule.code, rule.message) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void (async () => {
          if (options.dataDelayMs) await delay(options.dataDelayMs);
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
            return callback(smtpError(552, '5.3.4 Message size exceeds fixed maximum message size'));
          }
          const rule = ruleFor((r) => r.onData === true && (r.from === undefined || same(r.from, session.envelope.mailFrom ? session.envelope.mailFrom.address : '')));
          if (rule) return callback(smtpError(rule.code, rule.message));
          const raw = Buffer.concat(chunks);
          const received: ReceivedMessage = {
            envelope: {
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
            },
            ...(typeof session.user === 'string' ? { user: session.user } : {}),
            secure: session.secure,
            raw,
            parsed: await simpleParser(raw),
          };
          messages.push(received);
          for (const waiter of waiters.filter((w) => messages.length >= w.count)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(messages.slice());
          }
          return callback(null, `2.0.0 Ok: queued as ${messages.length}`);
        })();
      });
    },
  };
  const server = new SMTPServer(config);
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    certificate: cert,
    messages,
    authAttempts,
    mailFrom,
    reset() {
      messages.length = 0;
      authAttempts.length = 0;
      mailFrom.length = 0;
      used.clear();
    },
    waitForMessages(count) {
      if (messages.length >= count) return Promise.resolve(messages.slice());
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
