import type { Attachment } from '../message/message.js';

/** One message of a record's conversation, as the host shows it. */
export interface ConversationEntry {
  /** Who wrote it, as displayed (e.g. "Customer <c@example.com>"). */
  from: string;
  /** When, as displayed or ISO 8601. */
  sentAt: string;
  /** The message text. */
  text: string;
}

/**
 * A record (case, ticket) the host lets an agent forward. The host implements
 * this small interface over its own data.
 */
export interface ForwardableRecord {
  /** The record's id in the host application (e.g. a case number). */
  id: string;
  /** The record's subject, shown by the forward theme. */
  subject: string;
  /** The conversation, oldest first. */
  conversation: ConversationEntry[];
  /** Every attachment of the record: all of them go along with the forward. */
  attachments: Attachment[];
  /**
   * A link to an attachment, for the `oversize: 'link'` policy (attachments
   * replaced by links when the email would exceed the size limit).
   */
  attachmentLink?(attachment: Attachment): Promise<string>;
}
