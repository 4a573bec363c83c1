import type { Address, EmailMessage } from '../../message/message.js';

/** Graph `recipient` JSON. */
export const recipientJson = (a: Address): { emailAddress: { address: string; name?: string } } => ({
  emailAddress: { address: a.address, ...(a.name !== undefined && a.name !== '' ? { name: a.name } : {}) },
});

/** Most custom headers Graph takes on one message (InvalidInternetMessageHeaderCollection beyond). */
export const MAX_GRAPH_CUSTOM_HEADERS = 5;

/** Headers Graph can carry as `internetMessageHeaders`: custom ones, named `X-…`. */
export const isGraphCustomHeader = (name: string): boolean => /^x-/i.test(name);

/**
 * A validated email as a Graph `message` (without attachments): From and
 * Sender as resolved (Send As: From only; Send On Behalf: Sender = the
 * mailbox), the stable Message-ID, and the custom X- headers.
 */
export function graphMessageJson(message: EmailMessage): Record<string, unknown> {
  const headers = Object.entries(message.headers).filter(([name]) => isGraphCustomHeader(name));
  return {
    subject: message.subject,
    body: message.html !== undefined ? { contentType: 'HTML', content: message.html } : { contentType: 'Text', content: message.text ?? '' },
    from: recipientJson(message.from),
    ...(message.sender !== undefined ? { sender: recipientJson(message.sender) } : {}),
    toRecipients: message.to.map(recipientJson),
    ccRecipients: message.cc.map(recipientJson),
    bccRecipients: message.bcc.map(recipientJson),
    ...(message.replyTo.length > 0 ? { replyTo: message.replyTo.map(recipientJson) } : {}),
    internetMessageId: message.messageId,
    ...(headers.length > 0 ? { internetMessageHeaders: headers.map(([name, value]) => ({ name, value })) } : {}),
  };
}
