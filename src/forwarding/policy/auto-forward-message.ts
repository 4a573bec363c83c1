import { ErrorCodes } from '../../errors/error-codes.js';
import { isMailwrightError, MailwrightError } from '../../errors/mailwright-error.js';
import { formatAddress, parseAddress } from '../../message/address.js';
import type { Address, MessageInput } from '../../message/message.js';
import { MESSAGE_ID } from '../../message/message-id.js';
import { INBOX_RULES_LOOP_HEADER, type InboundEmail } from './inbound-email.js';
import type { PlannedForward } from './plan-forwards.js';

/** The header that marks automatically forwarded email (Exchange's own stamp). */
export const AUTO_FORWARDED_HEADER = 'X-MS-Exchange-Organization-AutoForwarded';

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

/**
 * The headers a forward carries: the auto-forward stamp, and the loop mark: the mailboxes
 * that already forwarded the message, this one added. Every forward carries it, redirects
 * and mailbox forwarding too, so a message that comes back to a mailbox that forwarded it
 * is not forwarded again (see planForwards), whatever mix of rules and forwarding sent it round.
 */
function stampHeaders(forward: PlannedForward, inbound: InboundEmail, mailbox: Address): Record<string, string> {
  const headers: Record<string, string> = {};
  if (forward.stamped) headers[AUTO_FORWARDED_HEADER] = 'true';
  headers[INBOX_RULES_LOOP_HEADER] = [...new Set([...inbound.ruleLoopMailboxes, mailbox.address.toLowerCase()])].join(', ');
  return headers;
}

/**
 * The email one planned forward sends, from the mailbox:
 * - redirect: the original From, To, Cc, subject, body, attachments and
 *   Message-ID kept, delivered only to the forward's recipients (`envelopeTo`),
 *   with the mailbox as Sender (the SMTP envelope sender);
 * - forward: a new message from the mailbox, "FW: subject", the original's
 *   header block above its body, its attachments kept;
 * - forward as attachment: a new message with the original attached as a
 *   `.eml` (message/rfc822), byte for byte.
 */
export function autoForwardMessage(forward: PlannedForward, inbound: InboundEmail, mailbox: Address): MessageInput {
  const headers = stampHeaders(forward, inbound, mailbox);
  if (forward.style === 'redirect') {
    return {
      from: originalFrom(inbound, mailbox),
      sender: mailbox,
      // Shown only: the redirect goes to its own recipients. An address mailwright cannot write
      // (`team@intranet`) is left out rather than make the redirect impossible.
      to: inbound.to.filter(writable),
      cc: inbound.cc.filter(writable),
      envelopeTo: forward.to,
      subject: inbound.subject,
      ...(inbound.text !== undefined || inbound.html === undefined ? { text: inbound.text ?? '' } : {}),
      ...(inbound.html !== undefined ? { html: inbound.html } : {}),
      attachments: inbound.attachments,
      ...(inbound.messageId !== undefined && MESSAGE_ID.test(inbound.messageId) ? { messageId: inbound.messageId } : {}),
      headers: { ...inbound.threadHeaders, ...headers },
    };
  }
  const subject = forwardSubject(inbound.subject);
  if (forward.style === 'forward-as-attachment') {
    const filename = `${inbound.subject.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim() || 'message'}.eml`;
    return {
      from: mailbox,
      to: forward.to,
      subject,
      text: 'The forwarded message is attached.',
      attachments: [{ filename, contentType: 'message/rfc822', content: inbound.raw }],
      headers,
    };
  }
  const block = originalHeaderLines(inbound);
  const text = `\n\n________________________________\n${block.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${inbound.text ?? ''}`;
  const htmlBlock = block.map(([k, v]) => `<b>${k}:</b> ${escapeHtml(v)}`).join('<br>\n');
  return {
    from: mailbox,
    to: forward.to,
    subject,
    text,
    ...(inbound.html !== undefined ? { html: `<div><br></div><hr>\n<div>${htmlBlock}</div><br>\n${inbound.html}` } : {}),
    attachments: inbound.attachments,
    headers,
  };
}
