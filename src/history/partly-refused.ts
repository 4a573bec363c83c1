import type { EmailRecord } from '../store/email-record.js';

/** How many of a sent email's recipients the server refused. */
export interface PartlyRefused {
  /** Recipients refused. */
  refused: number;
  /** All the email's recipients. */
  of: number;
}

/**
 * For a sent email some of whose recipients the server refused (it was delivered to the
 * others), how many; undefined for any other email. Each refused recipient's code and reply
 * are in its `recipients`.
 */
export function partlyRefused(record: Pick<EmailRecord, 'status' | 'recipients'>): PartlyRefused | undefined {
  if (record.status !== 'sent') return undefined;
  const refused = record.recipients.filter((r) => r.status === 'rejected').length;
  return refused === 0 ? undefined : { refused, of: record.recipients.length };
}
