import type { ErrorCode } from '../errors/error-codes.js';
import type { EmailStatus } from '../store/email-record.js';
import type { HistoryQuery } from '../store/history-query.js';

/** The filter fields of the history page, as query parameters. */
export const FILTER_PARAMS = ['status', 'sender', 'recipient', 'subject', 'user', 'provider', 'code', 'metaKey', 'metaValue', 'since', 'until'] as const;

/** A day (YYYY-MM-DD, from a date field) as its first instant in UTC; any other text as it is (the store says what is wrong). */
const day = (text: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text);
/** The day after (`until` is exclusive: a date field's day is included). */
const dayAfter = (text: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(Date.parse(`${text}T00:00:00.000Z`) + 86_400_000).toISOString() : text);

/** The history query a history page's URL asks for (without paging). */
export function historyQueryOf(query: URLSearchParams): Omit<HistoryQuery, 'limit' | 'cursor'> {
  const text = (name: string): string | undefined => query.get(name)?.trim() || undefined;
  const statuses = query.getAll('status').filter(Boolean) as EmailStatus[];
  const codes = query.getAll('code').filter(Boolean) as ErrorCode[];
  const metaKey = text('metaKey');
  const since = text('since');
  const until = text('until');
  return {
    ...(statuses.length > 0 ? { status: statuses } : {}),
    ...(text('sender') ? { sender: text('sender')! } : {}),
    ...(text('recipient') ? { recipient: text('recipient')! } : {}),
    ...(text('subject') ? { subject: text('subject')! } : {}),
    ...(text('user') ? { userId: text('user')! } : {}),
    ...(text('provider') ? { providerId: text('provider')! } : {}),
    ...(codes.length > 0 ? { failureCode: codes } : {}),
    ...(metaKey ? { meta: { [metaKey]: query.get('metaValue') ?? '' } } : {}),
    ...(since ? { since: day(since) } : {}),
    ...(until ? { until: dayAfter(until) } : {}),
  };
}

/** The filter parameters of a URL, to carry into links (export, next page, a status count). */
export function filterParams(query: URLSearchParams, replace: Record<string, string | undefined> = {}): Record<string, string | string[] | undefined> {
  const params: Record<string, string | string[] | undefined> = {};
  for (const name of FILTER_PARAMS) {
    const values = query.getAll(name).filter(Boolean);
    if (values.length > 0) params[name] = values.length === 1 ? values[0] : values;
  }
  return { ...params, ...replace };
}
