import { ErrorCodes, type ErrorCode } from '../../errors/error-codes.js';
import { MailwrightError } from '../../errors/mailwright-error.js';
import { optionNames, refuseUnknownOptions } from '../../parameters/option-names.js';
import { EMAIL_STATUSES, type EmailStatus } from '../email-record.js';
import type { HistoryQuery } from '../history-query.js';
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

const QUERY_FIELDS = optionNames<HistoryQuery>({ status: true, sender: true, providerId: true, failureCode: true, since: true, until: true, limit: true, cursor: true });

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

/** Validates a history query; throws MW_INVALID_QUERY saying what to fix (an unknown filter too: a typo must not list everything). */
export function toHistoryFilter(query: HistoryQuery): HistoryFilter {
  if (query === null || typeof query !== 'object') throw invalid('The history query must be an object.', 'Pass filters such as { status: "failed", since: "2026-11-01" }, or nothing.', 'query');
  for (const field of ['sender', 'providerId'] as const) {
    if (query[field] !== undefined && typeof query[field] !== 'string') throw invalid(`The history filter ${field} must be text.`, `Pass ${field} as a string.`, field);
  }
  refuseUnknownOptions(query, QUERY_FIELDS, 'history query', { code: ErrorCodes.INVALID_QUERY });
  const statuses = statusesOf(query.status);
  const failureCodes = failureCodesOf(query.failureCode);
  const sender = query.sender?.trim().toLowerCase();
  return {
    ...(statuses !== undefined ? { statuses } : {}),
    ...(sender ? { senderAddress: sender } : {}),
    ...(query.providerId ? { providerId: query.providerId } : {}),
    ...(failureCodes !== undefined ? { failureCodes } : {}),
    ...(query.since !== undefined ? { sinceMs: toEpochMs(query.since, 'since', 'query') } : {}),
    ...(query.until !== undefined ? { untilMs: toEpochMs(query.until, 'until', 'query') } : {}),
    limit: limitOf(query.limit),
    ...(query.cursor ? { cursor: decodeHistoryCursor(query.cursor) } : {}),
  };
}
