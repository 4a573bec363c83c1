import type { EmailRecord, EmailStatus } from './email-record.js';

/** Filters for `history.list()`. All optional; combined with AND. */
export interface HistoryQuery {
  status?: EmailStatus | EmailStatus[];
  /** From address, case-insensitive. */
  sender?: string;
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
  items: EmailRecord[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}
