import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import { ErrorCodes } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import type { Address, Attachment } from '../../message/message.js';
import { MARK_HEADER } from '../forwarding-mark.js';
import { cleanFilename, cleanHeaderText, threadHeaders } from './clean-inbound.js';
import { inboundLimitsSchema, type InboundLimits } from './inbound-limits.js';

/**
 * An email that arrived in a mailbox, parsed once for rules and forwards. Its header texts
 * are cleaned (no control characters, no run too long to fold), so that a forward never fails
 * on a hostile value.
 */
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
  /** `In-Reply-To` and `References` (their valid Message-IDs only), kept on redirects so threads stay together. */
  threadHeaders: Record<string, string>;
  /** The `X-Mailwright-Mark` headers as received: trusted only once their signature is checked (see readMark). */
  marks: string[];
  /** The envelope sender the receiving server recorded (`Return-Path`), when it is an address. */
  returnPath?: string;
}

const addresses = (value: AddressObject | AddressObject[] | undefined): Address[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((group) => group.value)
    .flatMap((a) => (a.group !== undefined ? a.group : [a]))
    .filter((a) => typeof a.address === 'string' && a.address !== '')
    .map((a) => {
      const name = cleanHeaderText(a.name ?? '').trim();
      return name !== '' ? { name, address: a.address! } : { address: a.address! };
    });

const headerTexts = (parsed: ParsedMail, name: string): string[] =>
  parsed.headerLines.filter((line) => line.key === name.toLowerCase()).map((line) => line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]/g, ' ').trim());

/** The limit a parser error names, or undefined for another error. */
const limitOf = (error: unknown): 'maxHeaderBytes' | 'maxMimeParts' | undefined => {
  if ((error as { code?: unknown })?.code !== 'EMAXLEN') return undefined;
  return /child nodes/i.test((error as Error).message) ? 'maxMimeParts' : 'maxHeaderBytes';
};

/** The received message parsed within the limits, or a typed error saying which limit it is over. */
async function parse(bytes: Buffer, limits: Pick<InboundLimits, 'maxHeaderBytes' | 'maxMimeParts'>): Promise<ParsedMail> {
  const { simpleParser } = await import('mailparser');
  try {
    return await simpleParser(bytes, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHeadSize: limits.maxHeaderBytes, maxChildNodes: limits.maxMimeParts });
  } catch (error) {
    const limit = limitOf(error);
    if (limit === undefined) {
      throw new MailwrightError(ErrorCodes.INVALID_MESSAGE, `The received message cannot be read as an email: ${(error as Error).message}`, {
        fix: 'Keep the message in its mailbox and look at it by hand; nothing was forwarded.',
        details: { field: 'message' },
        cause: error,
      });
    }
    const what = limit === 'maxMimeParts' ? `more than ${limits.maxMimeParts} MIME parts` : `a header (of the message or one of its parts) over ${limits.maxHeaderBytes} bytes`;
    throw new MailwrightError(ErrorCodes.INBOUND_LIMIT_EXCEEDED, `The received message has ${what}, over the forwarding policy's inbound.${limit}; nothing was forwarded.`, {
      fix: `Keep the message in its mailbox and look at it by hand. Raise inbound.${limit} in the forwarding policy only if such messages are legitimate for you.`,
      details: { limit, value: limits[limit] },
      cause: error,
    });
  }
}

/**
 * Parses a received message (RFC 5322 bytes) with mailparser, loaded on first use (with
 * its charset tables it adds over 20 MB to a process, which an application that never
 * processes inbound email should not carry), within the policy's inbound limits:
 * MW_INBOUND_LIMIT_EXCEEDED for a header over `maxHeaderBytes` or more than `maxMimeParts` parts.
 */
export async function parseInboundEmail(raw: Buffer | string, limits: Pick<InboundLimits, 'maxHeaderBytes' | 'maxMimeParts'> = inboundLimitsSchema.parse({})): Promise<InboundEmail> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
  const parsed = await parse(bytes, limits);
  const from = addresses(parsed.from)[0];
  const digest = createHash('sha256').update(bytes).digest('hex');
  const returnPath = /^<?([^<>\s]+@[^<>\s]+)>?$/.exec(headerTexts(parsed, 'Return-Path')[0] ?? '')?.[1];
  return {
    raw: bytes,
    ...(from !== undefined ? { from } : {}),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: cleanHeaderText(parsed.subject ?? ''),
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.date !== undefined ? { date: parsed.date } : {}),
    ...(parsed.messageId !== undefined ? { messageId: parsed.messageId } : {}),
    identity: parsed.messageId ?? `sha256:${digest}`,
    digest,
    attachments: parsed.attachments.map((a) => ({
      filename: cleanFilename(a.filename, 'attachment'),
      contentType: a.contentType,
      content: a.content,
      ...(a.contentId !== undefined && a.related === true ? { cid: a.contentId.replace(/^<|>$/g, '') } : {}),
    })),
    threadHeaders: threadHeaders(headerTexts(parsed, 'In-Reply-To').join(' '), headerTexts(parsed, 'References').join(' ')),
    marks: headerTexts(parsed, MARK_HEADER),
    ...(returnPath !== undefined ? { returnPath } : {}),
  };
}
