import { ErrorCodes } from '../../errors/error-codes.js';
import { isMailwrightError, MailwrightError } from '../../errors/mailwright-error.js';
import { formatAddress, parseAddress } from '../../message/address.js';
import type { Address, MessageInput } from '../../message/message.js';
import { cleanFilename } from './clean-inbound.js';
import type { InboundEmail } from './inbound-email.js';
import type { PlannedForward } from './plan-forwards.js';

/** The header that marks automatically forwarded email inside the organization (Exchange's own stamp). */
export const AUTO_FORWARDED_HEADER = 'X-MS-Exchange-Organization-AutoForwarded';

/** The header Exchange stamps on messages its inbox rules forward, naming the mailbox: written for the organization's own servers. */
export const INBOX_RULES_LOOP_HEADER = 'X-MS-Exchange-Inbox-Rules-Loop';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const forwardSubject = (subject: string): string => (/^\s*(fw|fwd):/i.test(subject) ? subject : `FW: ${subject}`);

/** Does mailwright write this received address as it is (strict RFC 5322 and a dotted domain)? */
function writable(address: Address): boolean {
  try {
    parseAddress(address, 'to');
    return true;
  } catch (error) {
    if (isMailwrightError(error, ErrorCodes.INVALID_ADDRESS)) return false;
    throw error;
  }
}

/**
 * The original's From, which a redirect must keep: one mailwright cannot write (e.g.
 * `taro..yamada.@docomo.ne.jp`) makes the redirect impossible, said so (the message is kept).
 */
function originalFrom(inbound: InboundEmail, mailbox: Address): Address {
  if (inbound.from === undefined) return mailbox;
  if (writable(inbound.from)) return inbound.from;
  throw new MailwrightError(ErrorCodes.INVALID_ADDRESS, `The original From address "${inbound.from.address}" cannot be written as a valid address, and a redirect keeps the original From; the message was kept in the mailbox.`, {
    fix: 'Forward such messages instead (an inbox rule with forwardTo sends a new message from the mailbox), or handle this one by hand.',
    details: { field: 'from' },
  });
}

/** Outlook's "original message" block: From, Sent, To, Cc, Subject. */
function originalHeaderLines(inbound: InboundEmail): [string, string][] {
  const list = (addresses: Address[]): string => addresses.map(formatAddress).join('; ');
  const lines: [string, string][] = [
    ['From', inbound.from === undefined ? '' : formatAddress(inbound.from)],
    ['Sent', inbound.date?.toUTCString() ?? ''],
    ['To', list(inbound.to)],
  ];
  if (inbound.cc.length > 0) lines.push(['Cc', list(inbound.cc)]);
  lines.push(['Subject', inbound.subject]);
  return lines;
}

/** What a forward carries besides the original: worked out by the forwarder, per group of recipients. */
export interface ForwardEnvelope {
  /** The forward's Message-ID (a redirect keeps the original's when it can be written); the mark is bound to it. */
  messageId: string;
  /** The signed mark and, for recipients inside the organization on a stamped forward, Exchange's own headers. */
  headers: Record<string, string>;
  /** Redirects: the Sender header (the mailbox), or none so that the message looks sent directly. */
  sender?: Address;
  /** Redirects: the SMTP envelope sender, when it is not the Sender (the mailbox, or an SRS address). */
  envelopeFrom?: Address;
}

/**
 * The email one planned forward sends, from the mailbox:
 * - redirect: the original From, To, Cc, subject, body, attachments and
 *   Message-ID kept, delivered only to the forward's recipients (`envelopeTo`),
 *   with the Sender and envelope sender the policy's `redirect` settings give;
 * - forward: a new message from the mailbox, "FW: subject", the original's
 *   header block above its body, its attachments kept;
 * - forward as attachment: a new message with the original attached as a
 *   `.eml` (message/rfc822), byte for byte.
 */
export function autoForwardMessage(forward: PlannedForward, to: Address[], inbound: InboundEmail, mailbox: Address, envelope: ForwardEnvelope): MessageInput {
  const { messageId, headers } = envelope;
  if (forward.style === 'redirect') {
    return {
      from: originalFrom(inbound, mailbox),
      ...(envelope.sender !== undefined ? { sender: envelope.sender } : {}),
      ...(envelope.envelopeFrom !== undefined ? { envelopeFrom: envelope.envelopeFrom } : {}),
      // Shown only: the redirect goes to its own recipients. An address mailwright cannot write
      // (`team@intranet`) is left out rather than make the redirect impossible.
      to: inbound.to.filter(writable),
      cc: inbound.cc.filter(writable),
      envelopeTo: to,
      subject: inbound.subject,
      ...(inbound.text !== undefined || inbound.html === undefined ? { text: inbound.text ?? '' } : {}),
      ...(inbound.html !== undefined ? { html: inbound.html } : {}),
      attachments: inbound.attachments,
      messageId,
      headers: { ...inbound.threadHeaders, ...headers },
    };
  }
  const subject = forwardSubject(inbound.subject);
  if (forward.style === 'forward-as-attachment') {
    const filename = `${cleanFilename(inbound.subject.replace(/[:*?"<>|]+/g, ' '), 'message')}.eml`;
    return {
      from: mailbox,
      to,
      subject,
      text: 'The forwarded message is attached.',
      attachments: [{ filename, contentType: 'message/rfc822', content: inbound.raw }],
      messageId,
      headers,
    };
  }
  const block = originalHeaderLines(inbound);
  const text = `\n\n________________________________\n${block.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${inbound.text ?? ''}`;
  const htmlBlock = block.map(([k, v]) => `<b>${k}:</b> ${escapeHtml(v)}`).join('<br>\n');
  return {
    from: mailbox,
    to,
    subject,
    text,
    ...(inbound.html !== undefined ? { html: `<div><br></div><hr>\n<div>${htmlBlock}</div><br>\n${inbound.html}` } : {}),
    attachments: inbound.attachments,
    messageId,
    headers,
  };
}
