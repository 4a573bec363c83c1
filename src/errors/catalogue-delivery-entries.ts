import { anyOf, enhancedIn, errnoIn, textMatches, type CatalogueEntry, type NormalizedFailure } from './catalogue-entry.js';
import { ErrorCodes } from './error-codes.js';

/** A temporary reply (4xx, or an enhanced code 4.x.x): the email can be sent later, whatever its text says. */
const temporary = (raw: NormalizedFailure): boolean => (raw.smtpCode !== undefined && raw.smtpCode >= 400 && raw.smtpCode < 500) || raw.enhanced?.startsWith('4.') === true;

const dotless = (host: string | undefined): boolean => host !== undefined && host !== '' && !host.includes('.') && host !== 'localhost';

/** Recipient, size, rate and network failures. Order matters: the first match wins. */
export const deliveryEntries: CatalogueEntry[] = [
  {
    code: ErrorCodes.RECIPIENT_UNKNOWN,
    category: 'recipient',
    title: 'Unknown recipient',
    explanation: 'The receiving server says the recipient address does not exist.',
    fix: 'Check the recipient address for typos and ask the recipient for their current address; remove it from the contact if it is no longer valid.',
    permanent: true,
    examples: ['550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'],
    match: anyOf(enhancedIn('5.1.1', '5.1.10', '5.1.6'), textMatches(/user unknown|RecipientNotFound|recipient not found|no such user|does not exist/i)),
  },
  {
    code: ErrorCodes.RECIPIENTS_REJECTED,
    category: 'recipient',
    title: 'Every recipient was refused',
    explanation: 'The server refused all recipients of the email, so nothing was delivered. Each recipient\'s own reply is in the history.',
    fix: 'Read the per-recipient replies in the history; correct the addresses or ask the recipients\' administrators why they are refused.',
    permanent: true,
    examples: ["Can't send mail - all recipients were rejected"],
    // Every recipient refused with a temporary reply (greylisting: 451 4.7.1) is retried, not failed.
    match: (raw) => !temporary(raw) && textMatches(/all recipients were rejected/i)(raw),
  },
  {
    code: ErrorCodes.MAILBOX_FULL,
    category: 'recipient',
    title: 'Recipient mailbox full',
    explanation: "The recipient's mailbox is over its storage quota, so it cannot receive more email for now.",
    fix: 'Tell the recipient through another channel to free up space, then send the email again.',
    permanent: true,
    examples: ['554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException', '552 5.2.2 Quota exceeded'],
    // 452 4.2.2 (full for now) is temporary: retried like any 4xx.
    match: (raw) => !temporary(raw) && anyOf(enhancedIn('5.2.2'), textMatches(/mailbox (?:is )?full|quota ?exceeded|over quota/i))(raw),
  },
  {
    code: ErrorCodes.MESSAGE_TOO_LARGE,
    category: 'size',
    title: 'Message too large for the server',
    explanation: "The email is larger than the server's (or recipient's) message size limit.",
    fix: 'Remove or shrink attachments, or share large files as links; lower the attachment size limit parameter to the server limit so such email is refused before sending.',
    permanent: true,
    examples: ['552 5.3.4 Message size exceeds fixed maximum message size', '413 Request Entity Too Large'],
    match: anyOf(enhancedIn('5.3.4', '5.2.3'), (raw) => raw.httpStatus === 413, textMatches(/message (?:size )?exceeds|too (?:large|big)/i)),
  },
  {
    code: ErrorCodes.TOO_MANY_RECIPIENTS,
    category: 'rate-limit',
    title: 'Too many recipients',
    explanation: 'The server accepts only a limited number of recipients per email (Exchange Online: 500), or per period.',
    fix: 'Split the recipients over several emails (or use a distribution list); the remaining recipients can be retried later.',
    permanent: false,
    examples: ['452 4.5.3 Too many recipients', '550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients'],
    match: anyOf(enhancedIn('4.5.3', '5.5.3'), textMatches(/too many recipients|RecipLimit/i)),
  },
  {
    code: ErrorCodes.RATE_LIMITED,
    category: 'rate-limit',
    title: 'Rate limited (throttled)',
    explanation: 'The service is throttling this sender: too many messages or requests in a short time. It said how long to wait (Retry-After) when it could.',
    fix: 'Queued email is retried automatically after the wait; an interactive email can be sent again once the wait is over. If it happens often, lower the per-minute limit parameter for this provider (Exchange Online: 30/minute).',
    permanent: false,
    examples: ['429 Too Many Requests (Retry-After: 30)', '421 4.7.0 Too many messages, rate limit exceeded', '554 5.2.0 SubmissionQuotaExceededException'],
    match: anyOf((raw) => raw.httpStatus === 429, textMatches(/throttl|rate limit|too many (?:messages|requests|connections)|SubmissionQuotaExceeded|ApplicationThrottled/i)),
  },
  {
    code: ErrorCodes.SINGLE_LABEL_DOMAIN,
    category: 'configuration',
    title: 'Single-label domain',
    explanation: 'A host or recipient domain has no dot (for example "contoso" instead of "contoso.com"). Internet mail cannot route to single-label domains.',
    fix: 'Use the fully qualified domain name (e.g. smtp.contoso.com, user@contoso.com).',
    permanent: true,
    examples: ['getaddrinfo ENOTFOUND mailserver', '501 5.1.3 Invalid address user@contoso'],
    match: (raw) => dotless(raw.domain) || (raw.errno !== undefined && ['ENOTFOUND', 'EDNS', 'EAI_AGAIN'].includes(raw.errno) && dotless(/(?:ENOTFOUND|EAI_AGAIN)\s+(\S+)/.exec(raw.text)?.[1])),
  },
  {
    code: ErrorCodes.DNS_FAILED,
    category: 'network',
    title: 'Host name not found (DNS)',
    explanation: 'The server host name could not be resolved: it is misspelled, does not exist, or DNS is unreachable.',
    fix: 'Check the host name in the provider settings (e.g. smtp.office365.com) and that this machine can resolve it.',
    permanent: false,
    examples: ['getaddrinfo ENOTFOUND smtp.contoso.example', 'getaddrinfo EAI_AGAIN smtp.office365.com'],
    match: errnoIn('ENOTFOUND', 'EAI_AGAIN', 'EDNS'),
  },
  {
    code: ErrorCodes.CONNECTION_FAILED,
    category: 'network',
    title: 'Connection failed',
    explanation: 'The connection to the server could not be opened (refused or timed out: wrong host or port, firewall, server down), or it broke during the exchange (reset, closed or timed out while sending: a network problem or the server dropped it).',
    fix: 'Check the host and port (587 for submission with STARTTLS, 465 for implicit TLS), that a firewall allows outbound traffic to it, and that the server is up. Queued email is retried automatically; an interactive email can be sent again.',
    permanent: false,
    examples: ['connect ECONNREFUSED 10.0.0.5:587', 'Connection timeout', 'read ECONNRESET', 'Connection closed unexpectedly'],
    match: anyOf(
      errnoIn('ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNECTION', 'ESOCKET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ETIMEOUT', 'EPROTOCOL'),
      textMatches(/connection (?:timeout|closed|refused)|socket hang up/i),
    ),
  },
];
