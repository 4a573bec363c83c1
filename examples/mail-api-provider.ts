import { encodeMessageToBuffer, failureError, type EmailMessage, type Provider, type SendContext, type SendReceipt } from '../src/index.js';

/** Options of {@link mailApiProvider}. */
export interface MailApiProviderOptions {
  /** Provider id. @default 'mail-api' */
  id?: string;
  /** The API's base URL, e.g. `https://api.mailer.example`. */
  baseUrl: string;
  /** The API key, sent as a bearer token. */
  apiKey: string;
}

/** The API's JSON answer: the message id when accepted, a message when not. */
interface MailApiAnswer {
  id?: string;
  message?: string;
}

/**
 * A mailwright provider of your own: an HTTP mail API that takes the raw MIME message and
 * its envelope, as Amazon SES (`Content.Raw` and `Destination`) does. mailwright encodes the
 * message (the same bytes SMTP and .eml get); the provider only delivers it and says what
 * happened: a receipt, or a failure classified by mailwright's failure catalogue, which
 * decides whether the distributor retries (429, 5xx, network errors) or stops (other 4xx).
 * See docs/providers/custom.md.
 */
export function mailApiProvider(options: MailApiProviderOptions): Provider {
  const id = options.id ?? 'mail-api';
  return {
    id,
    kind: 'mail-api',
    displayName: 'Mail API',
    interactive: false,
    batch: true,
    microsoft365: false,
    async send(message: EmailMessage, context: SendContext): Promise<SendReceipt> {
      // Bcc recipients are not in the MIME headers: the envelope names everyone to deliver to.
      const recipients = message.envelopeTo ?? [...message.to, ...message.cc, ...message.bcc];
      const mime = await encodeMessageToBuffer(message);
      const envelope = { from: (message.sender ?? message.from).address, to: recipients.map((r) => r.address) };
      let response: Response;
      try {
        response = await fetch(`${options.baseUrl}/v1/messages`, {
          method: 'POST',
          // The Message-ID is the same for every attempt of an email: the API's idempotency key.
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', 'idempotency-key': message.messageId },
          body: JSON.stringify({ envelope, raw: mime.toString('base64') }),
          ...(context.signal ? { signal: context.signal } : {}),
        });
      } catch (error) {
        // A network error's system code (ECONNREFUSED, ETIMEDOUT, …) makes it transient.
        const code = (error as { cause?: { code?: unknown } }).cause?.code;
        throw failureError({ message: `The mail API cannot be reached: ${(error as Error).message}`, ...(typeof code === 'string' ? { errno: code } : {}), protocol: 'http' }, error);
      }
      const answer = (await response.json().catch(() => ({}))) as MailApiAnswer;
      if (!response.ok) {
        const retryAfter = Number(response.headers.get('retry-after'));
        throw failureError({
          message: `The mail API answered ${response.status} ${response.statusText}`,
          httpStatus: response.status,
          response: answer.message ?? response.statusText,
          ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
          protocol: 'http',
        });
      }
      return {
        status: 'sent',
        messageId: message.messageId,
        ...(answer.id !== undefined ? { providerMessageId: answer.id } : {}),
        recipients: recipients.map((r) => ({ address: r.address, status: 'accepted' })),
        response: `${response.status} accepted as ${answer.id ?? '?'}`,
        sizeBytes: mime.length,
      };
    },
  };
}
