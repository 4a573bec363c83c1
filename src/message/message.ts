import type { Readable } from 'node:stream';

/** A mailbox: an address with an optional display name (kept exactly as given). */
export interface Address {
  /** Display name, e.g. "Ana María Núñez". Kept byte for byte. */
  name?: string;
  /** The address, e.g. "Ana.Nunez@Contoso.com". Casing is kept. */
  address: string;
}

/** An address as callers may write it: `"Name <a@b.c>"`, `"a@b.c"` or an {@link Address}. */
export type AddressInput = string | Address;

/** A file attached to an email. Give exactly one of `content` or `path`. */
export interface Attachment {
  /** File name shown to recipients, e.g. "invoice.pdf" (no path separators or line breaks). */
  filename: string;
  /** MIME type. @default derived from the file name */
  contentType?: string;
  /** In-memory content: bytes or text (nothing else: an object such as `{ path }` or `{ href }` is refused). */
  content?: Buffer | string;
  /**
   * A file on disk, streamed when sent (never held in memory whole). With the
   * `attachmentRoot` option of createMailwright, it must be inside that folder.
   */
  path?: string;
  /** Content-ID for inline images referenced from HTML as `cid:…`. */
  cid?: string;
}

/**
 * An attachment as a caller gives it: an {@link Attachment}, whose `content` may also be a
 * readable stream, read into memory when the message is validated.
 */
export interface AttachmentInput extends Omit<Attachment, 'content'> {
  /** Bytes, text, or a readable stream of them. */
  content?: Buffer | string | Readable;
}

/** What a caller writes to send an email. Validated and normalized into {@link EmailMessage}. */
export interface MessageInput {
  /** From address; when absent, the sending user's (or, for queued email, the batch provider's mailbox). */
  from?: AddressInput;
  /** Sender (Send On Behalf): the mailbox actually sending, when it differs from From. */
  sender?: AddressInput;
  /** Reply-To address or addresses. */
  replyTo?: AddressInput | AddressInput[];
  /** To recipients. */
  to?: AddressInput | AddressInput[];
  /** Cc recipients. */
  cc?: AddressInput | AddressInput[];
  /** Bcc recipients. */
  bcc?: AddressInput | AddressInput[];
  /** The subject; no line breaks. */
  subject: string;
  /** Plain-text body. Give `text`, `html` or both. */
  text?: string;
  /** HTML body. Give `text`, `html` or both. */
  html?: string;
  /** Extra headers (e.g. `X-Case-Id`). Values must not contain CR or LF. */
  headers?: Record<string, string>;
  /** Files to attach. */
  attachments?: AttachmentInput[];
  /** Message-ID to use (assigned automatically when absent). */
  messageId?: string;
  /**
   * Deliver to these addresses only, not to To, Cc and Bcc: a redirect keeps
   * the original To and Cc headers while it goes to someone else. Only SMTP
   * can do that (MW_REDIRECT_NOT_SUPPORTED elsewhere). @default To, Cc and Bcc
   */
  envelopeTo?: AddressInput | AddressInput[];
  /**
   * The SMTP envelope sender (MAIL FROM, where bounces go), when it is neither Sender nor
   * From: a redirect's bounce address. Only SMTP can do that (MW_REDIRECT_NOT_SUPPORTED
   * elsewhere). @default Sender, else From
   */
  envelopeFrom?: AddressInput;
}

/** A validated, normalized email: every address parsed, every header checked. */
export interface EmailMessage {
  /** The From address. */
  from: Address;
  /** The mailbox actually sending, when it differs from From (Send On Behalf). */
  sender?: Address;
  /** Reply-To addresses; empty when none. */
  replyTo: Address[];
  /** To recipients. */
  to: Address[];
  /** Cc recipients. */
  cc: Address[];
  /** Bcc recipients. */
  bcc: Address[];
  /** The subject. */
  subject: string;
  /** Plain-text body (at least one of `text` and `html` is set). */
  text?: string;
  /** HTML body (at least one of `text` and `html` is set). */
  html?: string;
  /** Extra headers, checked (no CR or LF, none that mailwright writes itself). */
  headers: Record<string, string>;
  /** Attachments, checked (readable, exactly one of `content` or `path`). */
  attachments: Attachment[];
  /** Stable Message-ID, `<…@…>`, reused by every attempt. */
  messageId: string;
  /** The Date header. */
  date: Date;
  /** The only addresses delivered to, when they differ from To, Cc and Bcc (redirects). */
  envelopeTo?: Address[];
  /** The SMTP envelope sender, when it is neither Sender nor From (a redirect's bounce address). */
  envelopeFrom?: Address;
}
