import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Address, EmailMessage } from './message.js';

const toAddress = (a: Address): Mail.Address | string =>
  a.name === undefined || a.name === '' ? a.address : { name: a.name, address: a.address };

/**
 * Maps a validated {@link EmailMessage} to nodemailer mail options. The one
 * place where the message model meets nodemailer's MIME composer, so SMTP
 * delivery, .eml export and size measurement produce the same bytes. The SMTP
 * envelope is always given explicitly, never derived from these headers.
 */
export function toNodemailerOptions(message: EmailMessage): Mail.Options {
  return {
    from: toAddress(message.from),
    ...(message.sender ? { sender: toAddress(message.sender) } : {}),
    ...(message.replyTo.length ? { replyTo: message.replyTo.map(toAddress) } : {}),
    to: message.to.map(toAddress),
    cc: message.cc.map(toAddress),
    bcc: message.bcc.map(toAddress),
    subject: message.subject,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.html !== undefined ? { html: message.html } : {}),
    headers: { ...message.headers },
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      ...(a.contentType ? { contentType: a.contentType } : {}),
      ...(a.content !== undefined ? { content: a.content } : {}),
      ...(a.path !== undefined ? { path: a.path } : {}),
      ...(a.cid ? { cid: a.cid } : {}),
      // An attached email (message/rfc822) is an attachment; nodemailer would show it inline.
      ...(!a.cid && a.contentType !== undefined && /^message\//i.test(a.contentType) ? { contentDisposition: 'attachment' as const } : {}),
    })),
    messageId: message.messageId,
    date: message.date,
    // Never let nodemailer fetch URLs named in content.
    disableUrlAccess: true,
  };
}
