import type { AddressObject, HeaderValue, ParsedMail } from 'mailparser';
import type { SentMail } from '../support/microsoft-stand-in/graph-api.js';

/** A mailbox as it arrived: display name (absent when none) and the address exactly as written. */
export interface DeliveredAddress {
  name?: string;
  address: string;
}

/**
 * One email as it reached a provider's destination (SMTP server, Graph, .eml
 * file), in one shape for every provider, so that the conformance suite can
 * compare what each delivered with what was sent.
 */
export interface DeliveredEmail {
  from?: DeliveredAddress;
  sender?: DeliveredAddress;
  replyTo: DeliveredAddress[];
  to: DeliveredAddress[];
  cc: DeliveredAddress[];
  bcc: DeliveredAddress[];
  subject: string;
  messageId: string;
  html?: string;
  text?: string;
  /** Custom (`X-…`) and `Auto-Submitted` headers, names lower-cased. */
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

const address = (name: string | undefined, value: string): DeliveredAddress => (name ? { name, address: value } : { address: value });

/** The mailboxes of an address header as mailparser gives it (one group, several, or absent). */
const addresses = (field: AddressObject | AddressObject[] | HeaderValue | undefined): DeliveredAddress[] => {
  const groups = (Array.isArray(field) ? field : [field]).filter((group): group is AddressObject => typeof group === 'object' && group !== null && 'value' in group && Array.isArray(group.value));
  return groups.flatMap((group) => group.value.map((entry) => address(entry.name, entry.address ?? '')));
};

const isHostHeader = (name: string): boolean => name.startsWith('x-') || name === 'auto-submitted';

/**
 * A parsed MIME message (what an SMTP server, a .eml file or Graph's MIME
 * route received). Without a Bcc header, Bcc is the envelope recipients that
 * are neither To nor Cc.
 */
export function deliveredFromMime(parsed: ParsedMail, envelopeRecipients: string[] = []): DeliveredEmail {
  const to = addresses(parsed.to);
  const cc = addresses(parsed.cc);
  const visible = new Set([...to, ...cc].map((a) => a.address.toLowerCase()));
  const bcc = parsed.bcc !== undefined ? addresses(parsed.bcc) : envelopeRecipients.filter((r) => !visible.has(r.toLowerCase())).map((r) => address(undefined, r));
  const sender = addresses(parsed.headers.get('sender'))[0];
  const from = addresses(parsed.from)[0];
  return {
    ...(from !== undefined ? { from } : {}),
    ...(sender !== undefined ? { sender } : {}),
    replyTo: addresses(parsed.replyTo),
    to,
    cc,
    bcc,
    subject: parsed.subject ?? '',
    messageId: parsed.messageId ?? '',
    ...(parsed.html !== false ? { html: parsed.html } : {}),
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    headers: Object.fromEntries([...parsed.headers].filter(([name]) => isHostHeader(name)).map(([name, value]) => [name, String(value)])),
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
  };
}

type GraphRecipient = { emailAddress: { name?: string; address: string } };
const graphAddresses = (value: unknown): DeliveredAddress[] => ((value ?? []) as GraphRecipient[]).map((r) => address(r.emailAddress.name, r.emailAddress.address));

/** An email Microsoft Graph accepted (JSON `sendMail`, MIME `sendMail`, or a draft then `send`). */
export function deliveredFromGraph(sent: SentMail): DeliveredEmail {
  if (sent.mime !== undefined) return deliveredFromMime(sent.mime);
  const message = sent.message ?? {};
  const body = message.body as { contentType: 'HTML' | 'Text'; content: string };
  const from = graphAddresses(message.from ? [message.from] : [])[0];
  const sender = graphAddresses(message.sender ? [message.sender] : [])[0];
  return {
    ...(from !== undefined ? { from } : {}),
    ...(sender !== undefined ? { sender } : {}),
    replyTo: graphAddresses(message.replyTo),
    to: graphAddresses(message.toRecipients),
    cc: graphAddresses(message.ccRecipients),
    bcc: graphAddresses(message.bccRecipients),
    subject: String(message.subject),
    messageId: sent.internetMessageId,
    ...(body.contentType === 'HTML' ? { html: body.content } : { text: body.content }),
    headers: Object.fromEntries(
      ((message.internetMessageHeaders ?? []) as { name: string; value: string }[]).map(({ name, value }) => [name.toLowerCase(), value]),
    ),
    attachments: sent.attachments.map((a) => ({ filename: a.name, contentType: a.contentType ?? '', content: a.bytes })),
  };
}
