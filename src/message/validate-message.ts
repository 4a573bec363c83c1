import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import { optionNames, refuseUnknownOptions } from '../parameters/option-names.js';
import { parseAddress, parseAddressList } from './address.js';
import { allowedAttachmentPath, attachmentContent } from './attachment-source.js';
import { MESSAGE_ID, newMessageId } from './message-id.js';
import { hasUnfoldableRun } from './unfoldable-run.js';
import type { Address, Attachment, AttachmentInput, EmailMessage, MessageInput } from './message.js';

/** Refuses a message that is not an object (a JavaScript caller's `null`, a string…) with MW_INVALID_MESSAGE. */
export function checkMessageShape(input: unknown): asserts input is MessageInput {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, 'The message must be an object.', { fix: 'Pass { to, subject, text }.' });
  }
}

/** Options of {@link validateMessage}. */
export interface ValidateOptions {
  /** The resolved From (sender identity). @default the message's own `from` */
  from?: Address;
  /** The resolved Sender (Send On Behalf). @default the message's own `sender` */
  sender?: Address;
  /** Domain of a generated Message-ID. */
  messageIdDomain: string;
  /** Date header. */
  now: Date;
  /** Folder every attachment `path` must be inside (symbolic links resolved). @default any readable file */
  attachmentRoot?: string;
}

/** Headers mailwright writes itself; callers use the message fields instead. */
const OWNED_HEADERS = new Map<string, string>([
  ['from', 'from'],
  ['to', 'to'],
  ['cc', 'cc'],
  ['bcc', 'bcc'],
  ['sender', 'sender'],
  ['reply-to', 'replyTo'],
  ['subject', 'subject'],
  ['message-id', 'messageId'],
  ['date', '(set automatically)'],
  ['mime-version', '(set automatically)'],
  ['content-type', 'text / html / attachments'],
  ['content-transfer-encoding', '(set automatically)'],
]);
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const LINE_BREAK = /[\r\n\0]/;

const headerError = (message: string, field: string, fix: string): MailwrightError =>
  new MailwrightError(ErrorCodes.INVALID_HEADER, message, { fix, details: { field } });

function checkFoldable(value: string, field: string, what: string): void {
  if (hasUnfoldableRun(value)) {
    throw headerError(`${what} has a run of 900 or more characters without a space, which cannot be written on header lines of at most 998 characters.`, field, `Shorten ${what.toLowerCase()} or break it with spaces.`);
  }
}

function checkHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!FIELD_NAME.test(name)) {
      throw headerError(`The header name ${JSON.stringify(name)} is not valid: use printable ASCII without spaces or colons.`, `headers.${name}`, 'Rename the header, e.g. X-Case-Id.');
    }
    const owned = OWNED_HEADERS.get(name.toLowerCase());
    if (owned !== undefined) {
      throw headerError(`The header "${name}" is managed by mailwright.`, `headers.${name}`, `Use the message field ${owned} instead of a raw header.`);
    }
    if (typeof value !== 'string' || LINE_BREAK.test(value)) {
      throw headerError(`The value of header "${name}" contains a line break (header injection) or is not text.`, `headers.${name}`, 'Remove CR/LF characters from header values.');
    }
    checkFoldable(value, `headers.${name}`, `The value of header "${name}"`);
    result[name] = value;
  }
  return result;
}

/**
 * The fields a message may have; a misspelt one (`attachements`, `Bcc`) would
 * silently send the email without it. A draft from compose() also carries its `userId`.
 */
const MESSAGE_FIELDS = [
  ...optionNames<MessageInput>({ from: true, sender: true, replyTo: true, to: true, cc: true, bcc: true, subject: true, text: true, html: true, headers: true, attachments: true, messageId: true, envelopeTo: true, envelopeFrom: true }),
  'userId',
];
const ATTACHMENT_FIELDS = optionNames<Attachment>({ filename: true, contentType: true, content: true, path: true, cid: true });

async function checkAttachment(attachment: AttachmentInput, index: number, root: string | undefined): Promise<Attachment> {
  const field = `attachments[${index}]`;
  if (typeof attachment === 'object' && attachment !== null) {
    refuseUnknownOptions(attachment, ATTACHMENT_FIELDS, `attachment ${index + 1}`, { code: ErrorCodes.INVALID_MESSAGE, noun: 'field', details: { field } });
  }
  const name = attachment?.filename;
  if (typeof name !== 'string' || name.trim() === '' || LINE_BREAK.test(name) || /[\\/]/.test(name)) {
    throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, `Attachment ${index + 1} has an invalid file name ${JSON.stringify(name)}.`, {
      fix: 'Give every attachment a file name without line breaks or path separators, e.g. "invoice.pdf".',
      details: { field: `${field}.filename` },
    });
  }
  checkFoldable(name, `${field}.filename`, `The file name of attachment ${index + 1}`);
  const sources = [attachment.content, attachment.path].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, `Attachment "${name}" must have exactly one of content or path.`, {
      fix: 'Pass the bytes as content, or a file path as path.',
      details: { field },
    });
  }
  for (const [key, value] of [['contentType', attachment.contentType], ['cid', attachment.cid]] as const) {
    if (value !== undefined && (typeof value !== 'string' || LINE_BREAK.test(value))) {
      throw headerError(`Attachment "${name}" has a ${key} with a line break.`, `${field}.${key}`, `Remove CR/LF from the ${key}.`);
    }
  }
  const content = await attachmentContent(attachment.content, name, field);
  const path = attachment.path === undefined ? undefined : await allowedAttachmentPath(attachment.path, root, name, field);
  if (path !== undefined) {
    try {
      await access(path, constants.R_OK);
      if (!(await stat(path)).isFile()) throw new Error('not a file');
    } catch (cause) {
      throw new MailwrightError(ErrorCodes.ATTACHMENT_UNREADABLE, `The attachment "${name}" cannot be read from ${attachment.path}.`, {
        fix: 'Check the file exists and the application may read it.',
        details: { field, filename: name, path: attachment.path },
        cause,
      });
    }
  }
  const { content: _given, path: _named, ...rest } = attachment;
  return { ...rest, ...(content !== undefined ? { content } : {}), ...(path !== undefined ? { path } : {}) };
}

/**
 * Validates and normalizes a message before any provider is called: every
 * address parsed, at least one recipient, no CR/LF in any header, no
 * header mailwright owns, attachments readable (content a Buffer, a string or
 * a stream, read whole; a path inside `attachmentRoot` when given), a Message-ID assigned.
 * Throws a typed MailwrightError naming the field; nothing is sent.
 */
export async function validateMessage(input: MessageInput, options: ValidateOptions): Promise<EmailMessage> {
  checkMessageShape(input);
  refuseUnknownOptions(input, MESSAGE_FIELDS, 'message', { code: ErrorCodes.INVALID_MESSAGE, noun: 'field' });
  const fromInput = options.from ?? input.from;
  if (fromInput === undefined) {
    throw new MailwrightError(ErrorCodes.INVALID_ADDRESS, 'The email has no From address.', {
      fix: 'Send as a user (userId) so the From comes from the user directory, or set from.',
      details: { field: 'from' },
    });
  }
  const from = parseAddress(fromInput, 'from');
  const senderInput = options.sender ?? input.sender;
  const sender = senderInput === undefined ? undefined : parseAddress(senderInput, 'sender');
  const to = parseAddressList(input.to, 'to');
  const cc = parseAddressList(input.cc, 'cc');
  const bcc = parseAddressList(input.bcc, 'bcc');
  const replyTo = parseAddressList(input.replyTo, 'replyTo');
  const envelopeTo = input.envelopeTo === undefined ? undefined : parseAddressList(input.envelopeTo, 'envelopeTo');
  if (envelopeTo?.length === 0) {
    throw new MailwrightError(ErrorCodes.NO_RECIPIENTS, 'envelopeTo is empty: the email would go to nobody.', {
      fix: 'Leave envelopeTo out to deliver to To, Cc and Bcc, or list at least one address.',
      details: { field: 'envelopeTo' },
    });
  }
  const envelopeFrom = input.envelopeFrom === undefined ? undefined : parseAddress(input.envelopeFrom, 'envelopeFrom');
  if (envelopeTo === undefined && to.length + cc.length + bcc.length === 0) {
    throw new MailwrightError(ErrorCodes.NO_RECIPIENTS, 'The email has no recipient.', { fix: 'Add at least one To, Cc or Bcc address.', details: { field: 'to' } });
  }
  if (typeof input.subject !== 'string' || LINE_BREAK.test(input.subject)) {
    throw headerError('The subject contains a line break (header injection) or is not text.', 'subject', 'Remove CR/LF characters from the subject.');
  }
  checkFoldable(input.subject, 'subject', 'The subject');
  if (typeof input.text !== 'string' && typeof input.html !== 'string') {
    throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, 'The email has no body.', { fix: 'Give the email a text or html body.', details: { field: 'text' } });
  }
  if (input.messageId !== undefined && !MESSAGE_ID.test(input.messageId)) {
    throw headerError(`The Message-ID ${JSON.stringify(input.messageId)} is not of the form <id@domain>.`, 'messageId', 'Leave messageId out to have one generated.');
  }
  const headers = checkHeaders(input.headers);
  const attachments = await Promise.all((input.attachments ?? []).map((attachment, index) => checkAttachment(attachment, index, options.attachmentRoot)));
  return {
    from,
    ...(sender !== undefined ? { sender } : {}),
    replyTo,
    to,
    cc,
    bcc,
    subject: input.subject,
    ...(typeof input.text === 'string' ? { text: input.text } : {}),
    ...(typeof input.html === 'string' ? { html: input.html } : {}),
    headers,
    attachments,
    messageId: input.messageId ?? newMessageId(options.messageIdDomain),
    date: options.now,
    ...(envelopeTo !== undefined ? { envelopeTo } : {}),
    ...(envelopeFrom !== undefined ? { envelopeFrom } : {}),
  };
}
