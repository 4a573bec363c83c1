import { ErrorCodes, type ErrorCode } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { optionNames, refuseUnknownOptions } from '../../parameters/option-names.js';
import { EMAIL_STATUSES, type EmailStatus } from '../email-record.js';
import type { HistoryCountQuery, HistoryQuery } from '../history-query.js';
import { decodeHistoryCursor, type HistoryCursor } from './history-cursor.js';
import { toEpochMs } from './epoch-time.js';

/** Default page size of `listEmails`. */
export const DEFAULT_HISTORY_LIMIT = 50;
/** Largest page size of `listEmails`. */
export const MAX_HISTORY_LIMIT = 1000;

/** A {@link HistoryQuery} checked and normalized for SQL. */
export interface HistoryFilter {
  statuses?: EmailStatus[];
  senderAddress?: string;
  providerId?: string;
  failureCodes?: ErrorCode[];
  /** Lower-cased text a recipient's address contains. */
  recipient?: string;
  userId?: string;
  /** Lower-cased text the subject contains. */
  subject?: string;
  meta?: [key: string, value: string | number | boolean][];
  sinceMs?: number;
  untilMs?: number;
  limit: number;
  cursor?: HistoryCursor;
}

function invalid(message: string, fix: string, field: string): MailwrightError {
  return new MailwrightError(ErrorCodes.INVALID_QUERY, message, { fix, details: { field } });
}

function statusesOf(status: HistoryQuery['status']): EmailStatus[] | undefined {
  if (status === undefined) return undefined;
  const list = Array.isArray(status) ? status : [status];
  if (list.length === 0) return undefined; // no status given: every status
  for (const s of list) {
    if (!EMAIL_STATUSES.includes(s)) {
      throw invalid(`Unknown email status "${String(s)}".`, `Use one or more of: ${EMAIL_STATUSES.join(', ')}.`, 'status');
    }
  }
  return [...new Set(list)];
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
    throw invalid(
      `The history page size must be a whole number from 1 to ${MAX_HISTORY_LIMIT}; got ${String(limit)}.`,
      `Pass a limit between 1 and ${MAX_HISTORY_LIMIT}, and page with nextCursor for more.`,
      'limit',
    );
  }
  return limit;
}

const QUERY_FIELDS = optionNames<HistoryQuery>({
  status: true,
  sender: true,
  providerId: true,
  failureCode: true,
  recipient: true,
  userId: true,
  subject: true,
  meta: true,
  since: true,
  until: true,
  limit: true,
  cursor: true,
});
const COUNT_FIELDS = QUERY_FIELDS.filter((name) => name !== 'limit' && name !== 'cursor');

const ERROR_CODES = new Set<string>(Object.values(ErrorCodes));

function failureCodesOf(code: HistoryQuery['failureCode']): ErrorCode[] | undefined {
  if (code === undefined) return undefined;
  const list = Array.isArray(code) ? code : [code];
  if (list.length === 0) return undefined; // no code given: any failure or none
  for (const c of list) {
    if (!ERROR_CODES.has(c)) {
      throw invalid(`Unknown failure code "${String(c)}".`, 'Use a code from the failure catalogue (docs/troubleshooting.md), e.g. MW_SEND_AS_DENIED.', 'failureCode');
    }
  }
  return [...new Set(list)];
}

/** A meta key a filter may name: JSON path syntax would read `"` and `\\` as its own. */
const META_KEY = /^[^"\\]+$/;

function metaOf(meta: HistoryQuery['meta']): HistoryFilter['meta'] {
  if (meta === undefined) return undefined;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw invalid('The history filter meta must be an object of keys and values.', 'Pass meta as e.g. { recordId: "CASE-42" }.', 'meta');
  }
  const entries = Object.entries(meta);
  for (const [key, value] of entries) {
    if (!META_KEY.test(key)) throw invalid(`The meta key ${JSON.stringify(key)} cannot be filtered on.`, 'Filter on meta keys that are not empty and have no " or \\.', 'meta');
    if (!['string', 'boolean'].includes(typeof value) && !(typeof value === 'number' && Number.isFinite(value))) {
      throw invalid(`The meta filter ${key} must be a string, a finite number or a boolean.`, `Pass meta.${key} as text, a number or true/false.`, 'meta');
    }
  }
  return entries.length === 0 ? undefined : entries;
}

/** A text filter trimmed and lower-cased (for "contains, case-insensitive"), or undefined when blank. */
const folded = (value: string | undefined): string | undefined => value?.trim().toLowerCase() || undefined;

/** Validates the filters of a history list or count; throws MW_INVALID_QUERY saying what to fix (an unknown filter too: a typo must not list everything). */
function checkedFilters(query: HistoryQuery, names: readonly string[]): Omit<HistoryFilter, 'limit' | 'cursor'> {
  if (query === null || typeof query !== 'object') throw invalid('The history query must be an object.', 'Pass filters such as { status: "failed", since: "2026-11-01" }, or nothing.', 'query');
  for (const field of ['sender', 'providerId', 'recipient', 'userId', 'subject'] as const) {
    if (query[field] !== undefined && typeof query[field] !== 'string') throw invalid(`The history filter ${field} must be text.`, `Pass ${field} as a string.`, field);
  }
  refuseUnknownOptions(query, names, 'history query', { code: ErrorCodes.INVALID_QUERY });
  const statuses = statusesOf(query.status);
  const failureCodes = failureCodesOf(query.failureCode);
  const sender = folded(query.sender);
  const recipient = folded(query.recipient);
  const subject = folded(query.subject);
  const meta = metaOf(query.meta);
  return {
    ...(statuses !== undefined ? { statuses } : {}),
    ...(sender ? { senderAddress: sender } : {}),
    ...(query.providerId ? { providerId: query.providerId } : {}),
    ...(failureCodes !== undefined ? { failureCodes } : {}),
    ...(recipient !== undefined ? { recipient } : {}),
    ...(query.userId ? { userId: query.userId } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(meta !== undefined ? { meta } : {}),
    ...(query.since !== undefined ? { sinceMs: toEpochMs(query.since, 'since', 'query') } : {}),
    ...(query.until !== undefined ? { untilMs: toEpochMs(query.until, 'until', 'query') } : {}),
  };
}

/** Validates a history query; throws MW_INVALID_QUERY saying what to fix. */
export function toHistoryFilter(query: HistoryQuery): HistoryFilter {
  return { ...checkedFilters(query, QUERY_FIELDS), limit: limitOf(query.limit), ...(query.cursor ? { cursor: decodeHistoryCursor(query.cursor) } : {}) };
}

/** Validates the filters of a count (a history query without paging); throws MW_INVALID_QUERY saying what to fix. */
export function toCountFilter(query: HistoryCountQuery): Omit<HistoryFilter, 'limit' | 'cursor'> {
  return checkedFilters(query, COUNT_FIELDS);
}
