import type { ErrorCode } from '../errors/error-codes.js';
import type { EmailRecord, EmailStatus } from './email-record.js';

/** Filters for `history.list()`. All optional; combined with AND. */
export interface HistoryQuery {
  /** Only emails in this status, or in one of these statuses. */
  status?: EmailStatus | EmailStatus[];
  /** From address, case-insensitive. */
  sender?: string;
  /** Only emails of this provider. */
  providerId?: string;
  /**
   * Only emails whose failure has this code, or one of these codes: failed email, and
   * waiting email whose last attempt failed (e.g. all `MW_SEND_AS_DENIED` failures, to retry
   * them once Send As is granted).
   */
  failureCode?: ErrorCode | ErrorCode[];
  /** Created at or after (ISO 8601 or Date). */
  since?: string | Date;
  /** Created before (ISO 8601 or Date). */
  until?: string | Date;
  /** Page size. @default 50 */
  limit?: number;
  /** Opaque cursor from the previous page's `nextCursor`; undefined (the last page had none) reads the first page. */
  cursor?: string | undefined;
}

/** One page of history, newest first. */
export interface HistoryPage {
  /** The records of this page, newest first. */
  items: EmailRecord[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}
