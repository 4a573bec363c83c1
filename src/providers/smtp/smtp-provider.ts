import { createHash } from 'node:crypto';
import PQueue from 'p-queue';
import { failureError } from '../../errors/classify-failure.js';
import { parseEnhancedCode } from '../../errors/enhanced-code.js';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { rawFailureFromError } from '../../errors/raw-failure-from-error.js';
import { domainOf } from '../../message/address.js';
import { asciiAddress } from '../../message/ascii-domain.js';
import { attachmentReadError, encodeMessage } from '../../message/encode-message.js';
import type { Address, EmailMessage } from '../../message/message.js';
import { optionNames, refuseUnknownOptions } from '../../parameters/option-names.js';
import type { SmtpSettings, SmtpSettingsInput, StoredSmtpSettings } from '../../parameters/smtp-settings.js';
import type { SenderMode } from '../../users/user-directory.js';
import { connectionResult, problemFrom, type ConnectionCheck, type ConnectionCheckResult, type VerifyConnectionOptions } from '../connection-check.js';
import type { Provider, ProviderRuntime, RecipientResult, SendContext, SendReceipt } from '../provider.js';
import { OutcomeUnknownError, SmtpSession, StaleConnectionError, UnusableAuthError, type SmtpError } from './smtp-session.js';
import { SmtpTranscript } from './smtp-transcript.js';
import { providerCountOption } from '../provider-count-option.js';
import { providerSettingsKey } from '../sealed-settings-service.js';
import { completeSmtpSettings, openSmtpSettings } from './smtp-settings-store.js';

/** Options of {@link smtpProvider}. */
export interface SmtpProviderOptions {
  /** Unique provider id. @default 'smtp' */
  id?: string;
  /** Label for choice lists. @default 'SMTP' */
  displayName?: string;
  /** May be chosen for interactive sending. @default true */
  interactive?: boolean;
  /** May be the batch provider. @default true */
  batch?: boolean;
  /**
   * Settings given in code (password in clear, never persisted). When absent the
   * provider reads the settings stored under `provider:<id>` at each send.
   */
  settings?: SmtpSettingsInput;
  /** How a user's address is represented when it is not the mailbox. @default 'sendAs' */
  senderMode?: SenderMode;
  /** Microsoft 365 (30/minute default limit). @default true for smtp.office365.com / smtp-mail.outlook.com */
  microsoft365?: boolean;
  /**
   * Connections open at once, busy or idle. A send beyond that waits for a
   * connection to be free, so a distributor with a higher concurrency never
   * churns connections (each new one costs a TLS handshake, AUTH and often a
   * greeting delay). Idle connections stay open for reuse until the server
   * closes them.
   * @default 5
   */
  maxConnections?: number;
}

const MICROSOFT_365_HOSTS = /(^|\.)(smtp\.office365\.com|smtp-mail\.outlook\.com)$/i;
const looksLikeEmail = (s: string | undefined): s is string => s !== undefined && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s);

/** Per-recipient results, under the addresses as the message has them (`original`: envelope address → message address). */
function recipientResults(accepted: string[], rejectedErrors: SmtpError[] | undefined, original: ReadonlyMap<string, string>): RecipientResult[] {
  const asWritten = (address: string): string => original.get(address) ?? address;
  const rejected = (rejectedErrors ?? []).map((e): RecipientResult => {
    const enhancedCode = parseEnhancedCode(e.response);
    return {
      address: asWritten((e as SmtpError & { recipient?: string }).recipient ?? ''),
      status: 'rejected',
      ...(e.responseCode !== undefined ? { smtpCode: e.responseCode } : {}),
      ...(enhancedCode !== undefined ? { enhancedCode } : {}),
      ...(e.response !== undefined ? { response: e.response } : {}),
    };
  });
  return [...accepted.map((address): RecipientResult => ({ address: asWritten(address), status: 'accepted' })), ...rejected];
}

const SMTP_OPTIONS = optionNames<SmtpProviderOptions>({ id: true, displayName: true, interactive: true, batch: true, settings: true, senderMode: true, microsoft365: true, maxConnections: true });

/**
 * SMTP provider (nodemailer's SMTPConnection): STARTTLS or implicit TLS as
 * configured and never AUTH in clear text when TLS is required; refuses to
 * send unauthenticated when a user name is set but the server offers no AUTH;
 * per-recipient results; a redacted protocol transcript for the history.
 */
export function smtpProvider(options: SmtpProviderOptions = {}): Provider {
  refuseUnknownOptions(options, SMTP_OPTIONS, 'smtpProvider options');
  const id = options.id ?? 'smtp';
  const inline = options.settings === undefined ? undefined : completeSmtpSettings(options.settings);
  const maxConnections = providerCountOption({ label: 'SMTP', id }, 'maxConnections', options.maxConnections, 5);
  // Every send holds one of these slots from checkout to checkin, so at most `maxConnections` are open.
  const slots = new PQueue({ concurrency: maxConnections });
  let runtime: ProviderRuntime | undefined;
  const idle = new Map<string, SmtpSession[]>();
  // Once closed, a send still in flight closes its connection instead of pooling it.
  let closed = false;

  async function currentSettings(): Promise<SmtpSettings> {
    if (inline !== undefined) return inline;
    const stored = await runtime?.settings.get<StoredSmtpSettings>(providerSettingsKey(id));
    if (stored === undefined || runtime === undefined) {
      throw new MailwrightError(ErrorCodes.PROVIDER_NOT_CONFIGURED, `The SMTP provider "${id}" has no settings.`, {
        fix: `Save the SMTP settings for "${id}" (host, port, user name, password), e.g. with \`mailwright smtp set\`, then send a test email.`,
        details: { providerId: id },
      });
    }
    return openSmtpSettings(stored, runtime.secrets, id);
  }

  // Idle connections are kept per settings fingerprint (inline settings are one object: hashed once).
  const fingerprints = new WeakMap<SmtpSettings, string>();
  const fingerprint = (s: SmtpSettings): string => {
    let key = fingerprints.get(s);
    if (key === undefined) {
      key = createHash('sha256').update(JSON.stringify(s)).digest('hex');
      fingerprints.set(s, key);
    }
    return key;
  };

  async function checkout(settings: SmtpSettings): Promise<SmtpSession> {
    const pool = idle.get(fingerprint(settings)) ?? [];
    while (pool.length > 0) {
      const session = pool.pop() as SmtpSession;
      if (session.usable) {
        session.transcript.restart('reusing an authenticated connection');
        return session;
      }
    }
    return SmtpSession.open(settings);
  }

  function checkin(settings: SmtpSettings, session: SmtpSession): void {
    const key = fingerprint(settings);
    for (const [other, sessions] of idle) {
      if (other !== key) {
        sessions.forEach((s) => s.close());
        idle.delete(other);
      }
    }
    const pool = idle.get(key) ?? [];
    if (!closed && session.usable && pool.length < maxConnections) {
      pool.push(session);
      idle.set(key, pool);
    } else session.close();
  }

  function failure(error: unknown, settings: SmtpSettings, session: SmtpSession | undefined, message: EmailMessage | undefined, original: ReadonlyMap<string, string>): MailwrightError {
    if (error instanceof MailwrightError) return error;
    // An attachment file gone or unreadable while the message was streamed: no server failure.
    const unreadable = message === undefined ? undefined : attachmentReadError(message, error);
    if (unreadable !== undefined) return unreadable;
    const smtpError = error as SmtpError & { rejectedErrors?: SmtpError[] };
    const raw = rawFailureFromError(error);
    if (error instanceof OutcomeUnknownError) raw.errno = error.code;
    // A TLS handshake the server broke off (after STARTTLS, or on an implicit TLS port) is a TLS failure, not a network one.
    if (/before secure TLS connection was established/i.test(raw.message)) raw.errno = 'ETLS';
    if (settings.requireTls && smtpError.command === 'STARTTLS') {
      raw.message = `Server does not support STARTTLS, which the settings require (${raw.message})`;
      raw.errno = 'ETLS';
    }
    const firstRejection = smtpError.rejectedErrors?.[0];
    if (firstRejection?.response !== undefined) {
      raw.response = firstRejection.response;
      delete raw.smtpCode;
    }
    if (raw.errno === 'ENOTFOUND' || raw.errno === 'EDNS') raw.message = `getaddrinfo ENOTFOUND ${settings.host}`;
    const recipientDomain = (message === undefined ? [] : [...message.to, ...message.cc, ...message.bcc]).map((a) => domainOf(a.address)).find((d) => !d.includes('.') && d !== 'localhost');
    const openTranscript = (error as { transcript?: unknown }).transcript;
    const transcript = (openTranscript instanceof SmtpTranscript ? openTranscript : session?.transcript)?.text([settings.password]);
    const typed = failureError(
      { ...raw, protocol: 'smtp', ...(transcript !== undefined ? { transcript } : {}), ...(recipientDomain ? { domain: recipientDomain } : {}) },
      error,
    );
    if (smtpError.rejectedErrors !== undefined) typed.details.recipients = recipientResults([], smtpError.rejectedErrors, original);
    if (error instanceof UnusableAuthError) typed.details.authMechanisms = [...error.mechanisms];
    return typed;
  }

  return {
    id,
    kind: 'smtp',
    displayName: options.displayName ?? 'SMTP',
    interactive: options.interactive ?? true,
    batch: options.batch ?? true,
    microsoft365: options.microsoft365 ?? (inline !== undefined && MICROSOFT_365_HOSTS.test(inline.host)),
    async usesMicrosoft365(): Promise<boolean> {
      if (options.microsoft365 !== undefined) return options.microsoft365;
      // The stored host, read without opening the password.
      const host = inline?.host ?? (await runtime?.settings.get<StoredSmtpSettings>(providerSettingsKey(id)))?.host;
      return host !== undefined && MICROSOFT_365_HOSTS.test(host);
    },
    senderMode: options.senderMode ?? 'sendAs',
    init(value: ProviderRuntime): void {
      runtime = value;
    },
    async mailbox(): Promise<Address | undefined> {
      const settings = await currentSettings();
      const address = settings.mailbox ?? (looksLikeEmail(settings.username) ? settings.username : undefined);
      return address === undefined ? undefined : { address };
    },
    async send(message: EmailMessage, _context: SendContext): Promise<SendReceipt> {
      // Settings are read when the send's turn comes, so a send that waited uses the current ones.
      return slots.add(async () => sendWith(await currentSettings(), message));
    },
    async verifyConnection(verifyOptions?: VerifyConnectionOptions): Promise<ConnectionCheckResult> {
      const checks: ConnectionCheck[] = [];
      let settings: SmtpSettings;
      try {
        settings = await currentSettings();
      } catch (error) {
        return connectionResult(id, [problemFrom('settings', error)]);
      }
      let session: SmtpSession | undefined;
      try {
        session = await SmtpSession.open(settings);
        checks.push({ name: 'connect', status: 'ok', message: `Connected to ${settings.host}:${settings.port}.` });
        checks.push(
          session.secure
            ? { name: 'tls', status: 'ok', message: 'The connection is encrypted (TLS).' }
            : { name: 'tls', status: 'warning', message: 'The connection is not encrypted: the server offers no STARTTLS and requireTls is off.', code: ErrorCodes.TLS_REQUIRED_NOT_OFFERED, fix: 'Use a server that offers STARTTLS (or implicit TLS on port 465) and turn requireTls on.' },
        );
        checks.push({ name: 'auth', status: 'ok', message: settings.username === undefined ? 'No authentication configured.' : `Signed in as ${settings.username}.` });
        const from = verifyOptions?.from ?? settings.mailbox ?? (looksLikeEmail(settings.username) ? settings.username : undefined);
        if (from === undefined) {
          checks.push({ name: 'mailFrom', status: 'warning', message: 'No sender address to probe: the settings have no mailbox and the user name is not an address.', code: ErrorCodes.PROVIDER_NOT_CONFIGURED, fix: 'Set the mailbox in the SMTP settings, or check with verifyConnection({ from }).' });
        } else {
          const reply = await session.probeMailFrom(asciiAddress(from));
          checks.push({ name: 'mailFrom', status: 'ok', message: `The server accepts ${from} as sender (${reply}).` });
        }
        await session.quit();
        checks.push({ name: 'quit', status: 'ok', message: 'Closed with QUIT; no email was sent.' });
      } catch (error) {
        const typed = failure(error, settings, session, undefined, new Map());
        const step = checks.length === 0 ? (/TLS/.test(typed.code) ? 'tls' : /AUTH|AUTHENTICATED/.test(typed.code) ? 'auth' : 'connect') : 'mailFrom';
        checks.push(problemFrom(step, typed));
        session?.close();
      }
      return connectionResult(id, checks);
    },
    async close(): Promise<void> {
      closed = true;
      for (const sessions of idle.values()) sessions.forEach((s) => s.close());
      idle.clear();
    },
  };

  /** Sends over a pooled or new connection; a failed connection is closed, never reused. */
  async function sendWith(settings: SmtpSettings, message: EmailMessage): Promise<SendReceipt> {
    let session: SmtpSession | undefined;
    const recipients = (message.envelopeTo ?? [...message.to, ...message.cc, ...message.bcc]).map((a) => a.address);
    // Envelope address → the address as the message has it, for the per-recipient results.
    // The envelope in A-labels, as the headers: a server without SMTPUTF8 accepts it.
    const original = new Map(recipients.map((address) => [asciiAddress(address), address]));
    try {
      session = await checkout(settings);
      const envelope = { from: asciiAddress((message.envelopeFrom ?? message.sender ?? message.from).address), to: recipients.map(asciiAddress) };
      let info: Awaited<ReturnType<SmtpSession['send']>>;
      try {
        info = await session.send(envelope, encodeMessage(message));
      } catch (error) {
        if (!(error instanceof StaleConnectionError)) throw error;
        // The server closed the pooled connection as this send began (its idle timeout): nothing
        // was sent, so a new connection sends the message, without counting an attempt.
        session.close();
        session = await SmtpSession.open(settings);
        session.transcript.note(`${error.message}; sending on a new connection`);
        info = await session.send(envelope, encodeMessage(message));
      }
      const transcript = session.transcript.text([settings.password]);
      checkin(settings, session);
      return {
        status: 'sent',
        messageId: message.messageId,
        recipients: recipientResults(info.accepted, info.rejectedErrors, original),
        response: info.response,
        transcript,
        sizeBytes: info.messageSize,
      };
    } catch (error) {
      const typed = failure(error, settings, session, message, original);
      session?.close();
      throw typed;
    }
  }
}
