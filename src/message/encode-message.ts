import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { Attachment, EmailMessage } from './message.js';
import { keepAddressCase } from './keep-address-case.js';
import { toNodemailerOptions } from './nodemailer-options.js';

/** Options of {@link encodeMessage}. */
export interface EncodeOptions {
  /** Keep the Bcc header (drafts show Bcc; sent email must not). @default false */
  keepBcc?: boolean;
  /** Extra headers for this encoding only (e.g. X-Unsent for drafts). */
  extraHeaders?: Record<string, string>;
}

/**
 * The RFC 5322 MIME form of a message, as a stream. Attachments given by path
 * are streamed from disk, never held in memory whole.
 */
export function encodeMessage(message: EmailMessage, options: EncodeOptions = {}): Readable {
  const mail = toNodemailerOptions(message);
  const composed = new MailComposer({ ...mail, headers: { ...(mail.headers as Record<string, string>), ...options.extraHeaders } }).compile();
  composed.keepBcc = options.keepBcc === true;
  keepAddressCase(composed);
  return composed.createReadStream();
}

/** Encodes a message into one buffer (small messages, .eml files). */
export async function encodeMessageToBuffer(message: EmailMessage, options: EncodeOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of encodeMessage(message, options)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function unreadable(attachment: Attachment, cause: unknown): MailwrightError {
  return new MailwrightError(ErrorCodes.ATTACHMENT_UNREADABLE, `The attachment "${attachment.filename}" cannot be read${attachment.path ? ` from ${attachment.path}` : ''}.`, {
    fix: 'Check the file still exists and the application may read it.',
    details: { filename: attachment.filename, ...(attachment.path ? { path: attachment.path } : {}) },
    cause,
  });
}

/**
 * MW_ATTACHMENT_UNREADABLE when `error` is the failure to read one of the message's
 * attachment files (gone or unreadable while the message was encoded), else undefined.
 */
export function attachmentReadError(message: EmailMessage, error: unknown): MailwrightError | undefined {
  const path = (error as NodeJS.ErrnoException | null)?.path;
  const attachment = path === undefined ? undefined : message.attachments.find((a) => a.path !== undefined && a.path === path);
  return attachment === undefined ? undefined : unreadable(attachment, error);
}

/** Encoded size in bytes, counted while streaming (constant memory). */
export async function measureEncodedSize(message: EmailMessage): Promise<number> {
  let size = 0;
  try {
    for await (const chunk of encodeMessage(message)) size += (chunk as Buffer).length;
  } catch (cause) {
    throw attachmentReadError(message, cause) ?? cause;
  }
  return size;
}

/** Raw (unencoded) byte size of one attachment. */
export async function attachmentSize(attachment: Attachment): Promise<number> {
  if (attachment.content !== undefined) return Buffer.byteLength(attachment.content);
  try {
    return (await stat(attachment.path as string)).size;
  } catch (cause) {
    throw unreadable(attachment, cause);
  }
}

/**
 * An upper bound of the encoded size, computed without encoding: bodies at
 * three bytes per byte (quoted-printable's worst case), attachments in base64
 * with line breaks, and generous room for headers and MIME boundaries.
 */
export async function encodedSizeUpperBound(message: EmailMessage): Promise<number> {
  const words = [message.subject, ...Object.entries(message.headers).flat(), ...[message.from, message.sender, ...message.to, ...message.cc, ...message.bcc, ...message.replyTo].flatMap((a) => (a === undefined ? [] : [a.name ?? '', a.address]))];
  const headers = 2048 + words.reduce((sum, w) => sum + 3 * Buffer.byteLength(w) + 16, 0);
  const bodies = [message.text, message.html].reduce((sum, b) => sum + (b === undefined ? 0 : 3 * Buffer.byteLength(b) + 512), 0);
  let attachments = 0;
  for (const attachment of message.attachments) {
    attachments += Math.ceil((await attachmentSize(attachment)) / 57) * 78 + 1024 + 3 * Buffer.byteLength(attachment.filename);
  }
  return headers + bodies + attachments;
}

/**
 * Returns the encoded size of the whole email, or throws MW_ATTACHMENT_TOO_LARGE
 * when it exceeds `limitBytes`, listing each attachment with its size.
 */
export async function assertWithinSizeLimit(message: EmailMessage, limitBytes: number): Promise<number> {
  const sizeBytes = await measureEncodedSize(message);
  if (sizeBytes <= limitBytes) return sizeBytes;
  const attachments = await Promise.all(message.attachments.map(async (a) => ({ filename: a.filename, sizeBytes: await attachmentSize(a) })));
  const mb = (n: number): string => `${(n / 1_048_576).toFixed(1)} MB`;
  throw new MailwrightError(
    ErrorCodes.ATTACHMENT_TOO_LARGE,
    `The email is ${mb(sizeBytes)} (${sizeBytes} bytes) encoded, over the ${mb(limitBytes)} (${limitBytes} bytes) attachment size limit. Attachments: ${
      attachments.map((a) => `${a.filename} ${mb(a.sizeBytes)}`).join(', ') || 'none'
    }.`,
    {
      fix: 'Remove or shrink attachments, send them as links, or raise the attachment size limit parameter.',
      details: { sizeBytes, limitBytes, attachments },
    },
  );
}
