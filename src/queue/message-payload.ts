import { z } from 'zod';
import { ErrorCodes } from '../errors/error-codes.js';
import { MailwrightError } from '../errors/mailwright-error.js';
import type { Attachment, EmailMessage } from '../message/message.js';

/** The format of a stored message this version writes; a payload without one was written before formats were numbered (the same shape). */
const PAYLOAD_FORMAT = 1;

type StoredAttachment = Omit<Attachment, 'content'> & { base64?: string; text?: string };
type StoredMessage = Omit<EmailMessage, 'attachments' | 'date'> & { attachments: StoredAttachment[]; date: string; format?: number };

const oneLine = z.string().regex(/^[^\r\n]*$/, 'has a line break');
const address = z.looseObject({ name: oneLine.optional(), address: oneLine.min(1) });
// Loose objects: a field added to EmailMessage later is kept, not dropped (the format version marks incompatible changes).
const storedMessage = z.looseObject({
  format: z.number().optional(),
  from: address,
  sender: address.optional(),
  replyTo: z.array(address),
  to: z.array(address),
  cc: z.array(address),
  bcc: z.array(address),
  subject: oneLine,
  text: z.string().optional(),
  html: z.string().optional(),
  headers: z.record(oneLine, oneLine),
  attachments: z.array(
    z
      .looseObject({ filename: oneLine.min(1), contentType: oneLine.optional(), cid: oneLine.optional(), path: z.string().min(1).optional(), base64: z.string().optional(), text: z.string().optional() })
      .refine((a) => [a.path, a.base64, a.text].filter((source) => source !== undefined).length === 1, 'needs exactly one of path, base64 or text'),
  ),
  messageId: oneLine.min(1),
  date: z.iso.datetime(),
  envelopeTo: z.array(address).min(1).optional(),
});

/**
 * Serializes a validated message for the queue. In-memory attachment bytes are
 * stored (base64); attachments given by path stay paths and are streamed from
 * disk when the email is sent, so queued files are never held in memory.
 */
export function serializeMessage(message: EmailMessage): string {
  const stored: StoredMessage = {
    format: PAYLOAD_FORMAT,
    ...message,
    date: message.date.toISOString(),
    attachments: message.attachments.map(({ content, ...rest }) =>
      content === undefined ? rest : typeof content === 'string' ? { ...rest, text: content } : { ...rest, base64: content.toString('base64') },
    ),
  };
  return JSON.stringify(stored);
}

function unreadable(reason: string, emailId: string | undefined): MailwrightError {
  return new MailwrightError(ErrorCodes.MESSAGE_UNREADABLE, `The stored message${emailId === undefined ? '' : ` of queued email ${emailId}`} ${reason}.`, {
    permanent: true,
    fix: 'If a newer version of mailwright queued it, send it with that version (or upgrade this one), then retry it; otherwise the stored data was damaged: queue the email again with enqueue().',
    details: emailId === undefined ? {} : { emailId },
  });
}

/**
 * The inverse of {@link serializeMessage}. A payload that is not JSON, lacks a field or has
 * one of the wrong kind, or is in a format version this version does not know throws
 * MW_MESSAGE_UNREADABLE (never a SyntaxError or TypeError): it cannot be sent as stored.
 * @param emailId - the queued email's id, for the error message
 */
export function deserializeMessage(payload: string, emailId?: string): EmailMessage {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    throw unreadable(`cannot be read: ${error instanceof Error ? error.message : String(error)}`, emailId);
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof json === 'object' && json !== null && format !== undefined && format !== PAYLOAD_FORMAT) {
    throw unreadable(`is in format version ${JSON.stringify(format)}, which this version of mailwright does not know`, emailId);
  }
  const parsed = storedMessage.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'the message'} ${issue.message}`);
    throw unreadable(`cannot be read: ${problems.join('; ')}`, emailId);
  }
  const { format: _format, ...stored } = parsed.data as StoredMessage;
  return {
    ...stored,
    date: new Date(stored.date),
    attachments: stored.attachments.map(({ base64, text, ...rest }) =>
      base64 !== undefined ? { ...rest, content: Buffer.from(base64, 'base64') } : text !== undefined ? { ...rest, content: text } : rest,
    ),
  };
}
