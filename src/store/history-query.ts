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
  /** Only emails with a recipient (To, Cc or Bcc) whose address contains this text, case-insensitive: an address, or a part such as a domain. */
  recipient?: string;
  /** Only emails sent for this user (the host's user id, exact). */
  userId?: string;
  /** Only emails whose subject contains this text, case-insensitive. */
  subject?: string;
  /**
   * Only emails whose `meta` has each of these keys with this value, of the same type
   * (`{ recordId: 'CASE-42' }`; the string "42" does not match the number 42).
   */
  meta?: Record<string, string | number | boolean>;
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

/** Filters of {@link HistoryCounts}: those of a history list, without paging. */
export type HistoryCountQuery = Omit<HistoryQuery, 'limit' | 'cursor'>;

/** How many emails a filter matches, by status and by failure code: a dashboard's figures. */
export interface HistoryCounts {
  /** Every email the filter matches. */
  total: number;
  /** Emails in each status (every status is listed, 0 when none). */
  byStatus: Record<EmailStatus, number>;
  /** Emails whose failure has each code (failed email, and waiting email whose last attempt failed), most frequent first. */
  byFailureCode: { code: string; count: number }[];
  /** Emails sent over the per-minute limit after the maximum deferrals. */
  forced: number;
}
