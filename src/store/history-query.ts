import type { EmailRecord, EmailStatus } from './email-record.js';

/** Filters for `history.list()`. All optional; combined with AND. */
export interface HistoryQuery {
  /** Only emails in this status, or in one of these statuses. */
  status?: EmailStatus | EmailStatus[];
  /** From address, case-insensitive. */
  sender?: string;
  /** Only emails of this provider. */
  providerId?: string;
  /** Created at or after (ISO 8601 or Date). */
  since?: string | Date;
  /** Created before (ISO 8601 or Date). */
  until?: string | Date;
  /** Page size. @default 50 */
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

/** One page of history, newest first. */
export interface HistoryPage {
  /** The records of this page, newest first. */
  items: EmailRecord[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}
