import type { Attachment, EmailMessage } from '../message/message.js';

type StoredAttachment = Omit<Attachment, 'content'> & { base64?: string; text?: string };
type StoredMessage = Omit<EmailMessage, 'attachments' | 'date'> & { attachments: StoredAttachment[]; date: string };

/**
 * Serializes a validated message for the queue. In-memory attachment bytes are
 * stored (base64); attachments given by path stay paths and are streamed from
 * disk when the email is sent, so queued files are never held in memory.
 */
export function serializeMessage(message: EmailMessage): string {
  const stored: StoredMessage = {
    ...message,
    date: message.date.toISOString(),
    attachments: message.attachments.map(({ content, ...rest }) =>
      content === undefined ? rest : typeof content === 'string' ? { ...rest, text: content } : { ...rest, base64: content.toString('base64') },
    ),
  };
  return JSON.stringify(stored);
}

/** The inverse of {@link serializeMessage}. */
export function deserializeMessage(payload: string): EmailMessage {
  const stored = JSON.parse(payload) as StoredMessage;
  return {
    ...stored,
    date: new Date(stored.date),
    attachments: stored.attachments.map(({ base64, text, ...rest }) =>
      base64 !== undefined ? { ...rest, content: Buffer.from(base64, 'base64') } : text !== undefined ? { ...rest, content: text } : rest,
    ),
  };
}
