import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { Address, Attachment } from '../../message/message.js';

/** An email that arrived in a mailbox, parsed once for rules and forwards. */
export interface InboundEmail {
  /** The message as received (RFC 5322), for forward-as-attachment. */
  raw: Buffer;
  /** The From address, when the message has one. */
  from?: Address;
  /** The To recipients. */
  to: Address[];
  /** The Cc recipients. */
  cc: Address[];
  /** The subject; empty when the message has none. */
  subject: string;
  /** The plain-text body, when present. */
  text?: string;
  /** The HTML body, when present. */
  html?: string;
  /** The Date header, when present. */
  date?: Date;
  /** The Message-ID, `<…>`, when the message has one. */
  messageId?: string;
  /** Message-ID, or a hash of the raw bytes when there is none: names the original in the history. */
  identity: string;
  /**
   * SHA-256 of the raw bytes, hex: with `identity`, the key that makes processing the same
   * delivery twice idempotent, while another message reusing a Message-ID is still processed.
   */
  digest: string;
  /** The attachments, in memory, with safe file names. */
  attachments: Attachment[];
  /** `In-Reply-To` and `References`, kept on redirects so threads stay together. */
  threadHeaders: Record<string, string>;
  /** Mailboxes that already forwarded this message automatically (X-MS-Exchange-Inbox-Rules-Loop), lower-cased. */
  ruleLoopMailboxes: string[];
  /**
   * Sent by a system, not a person: `Auto-Submitted` other than `no` (RFC 3834: an
   * auto-reply, a notification, a record forward of mailwright's), or
   * `X-Mailwright-Forwarded-Record`. Inbox rules do not run on it.
   */
  automated: boolean;
}

/** The header Exchange stamps on messages its inbox rules forward, naming the mailbox. */
export const INBOX_RULES_LOOP_HEADER = 'X-MS-Exchange-Inbox-Rules-Loop';

const addresses = (value: AddressObject | AddressObject[] | undefined): Address[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((group) => group.value)
    .flatMap((a) => (a.group !== undefined ? a.group : [a]))
    .filter((a) => typeof a.address === 'string' && a.address !== '')
    .map((a) => (a.name ? { name: a.name, address: a.address! } : { address: a.address! }));

const headerTexts = (parsed: ParsedMail, name: string): string[] =>
  parsed.headerLines.filter((line) => line.key === name.toLowerCase()).map((line) => line.line.slice(line.line.indexOf(':') + 1).trim());

/**
 * Parses a received message (RFC 5322 bytes) with mailparser, loaded on first
 * use: with its charset tables it adds over 20 MB to a process, which an
 * application that never processes inbound email should not carry.
 */
export async function parseInboundEmail(raw: Buffer | string): Promise<InboundEmail> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(bytes, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const threadHeaders: Record<string, string> = {};
  for (const name of ['In-Reply-To', 'References']) {
    const value = headerTexts(parsed, name).join(' ').replace(/\s+/g, ' ').trim();
    if (value !== '') threadHeaders[name] = value;
  }
  const from = addresses(parsed.from)[0];
  const digest = createHash('sha256').update(bytes).digest('hex');
  return {
    raw: bytes,
    ...(from !== undefined ? { from } : {}),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: parsed.subject ?? '',
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.date !== undefined ? { date: parsed.date } : {}),
    ...(parsed.messageId !== undefined ? { messageId: parsed.messageId } : {}),
    identity: parsed.messageId ?? `sha256:${digest}`,
    digest,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename?.replace(/[\\/\r\n\0]+/g, '_').trim() || 'attachment',
      contentType: a.contentType,
      content: a.content,
      ...(a.contentId !== undefined && a.related === true ? { cid: a.contentId.replace(/^<|>$/g, '') } : {}),
    })),
    threadHeaders,
    automated: headerTexts(parsed, 'Auto-Submitted').some((v) => v.toLowerCase() !== 'no') || headerTexts(parsed, 'X-Mailwright-Forwarded-Record').length > 0,
    ruleLoopMailboxes: headerTexts(parsed, INBOX_RULES_LOOP_HEADER).flatMap((v) => v.split(/[,;\s]+/)).filter((v) => v !== '').map((v) => v.toLowerCase()),
  };
}
