import { sql, type SelectQueryBuilder } from 'kysely';
import type { HistoryFilter } from './history-filter.js';
import type { StoreDatabase } from './store-database.js';
import type { StoreDialect } from './store-migrations.js';

type EmailsQuery = SelectQueryBuilder<StoreDatabase, 'emails', object>;

/**
 * Lower-cases text in SQL as JavaScript's `toLowerCase()` does: PostgreSQL's `lower()`, and in
 * SQLite the `mw_lower` function each connection registers (SQLite's own `lower()` folds ASCII only).
 */
export const SQLITE_LOWER_FUNCTION = 'mw_lower';
const lower = (dialect: StoreDialect, text: ReturnType<typeof sql>) => (dialect === 'sqlite' ? sql<string>`${sql.raw(SQLITE_LOWER_FUNCTION)}(${text})` : sql<string>`lower(${text})`);

/** The code of an email's failure, read from its JSON (no index: it narrows rows another filter found). */
export const failureCode = (dialect: StoreDialect) => (dialect === 'sqlite' ? sql<string>`json_extract(failure_json, '$.code')` : sql<string>`(failure_json::jsonb ->> 'code')`);

/** Does one of the email's recipients have an address containing `needle` (lower-cased)? */
function recipientContains(dialect: StoreDialect, needle: string) {
  return dialect === 'sqlite'
    ? sql<boolean>`exists (select 1 from json_each(emails.recipients_json) r where instr(${lower(dialect, sql`json_extract(r.value, '$.address')`)}, ${needle}) > 0)`
    : sql<boolean>`exists (select 1 from jsonb_array_elements(emails.recipients_json::jsonb) r where strpos(${lower(dialect, sql`r ->> 'address'`)}, ${needle}) > 0)`;
}

/** Does the email's meta have `key` with this value, of the same JSON type? */
function metaEquals(dialect: StoreDialect, key: string, value: string | number | boolean) {
  if (dialect === 'sqlite') {
    const path = `$."${key}"`;
    const type = sql<string>`json_type(meta_json, ${path})`;
    if (typeof value === 'boolean') return sql<boolean>`${type} = ${value ? 'true' : 'false'}`;
    const types = typeof value === 'string' ? sql`('text')` : sql`('integer', 'real')`;
    return sql<boolean>`(${type} in ${types} and json_extract(meta_json, ${path}) = ${value})`;
  }
  const element = sql`(meta_json::jsonb -> ${key})`;
  return sql<boolean>`${element} = ${JSON.stringify(value)}::jsonb`;
}

/** Adds the filters of a history list or count other than status and cursor (combined with AND). */
export function whereFiltered<Q extends EmailsQuery>(query: Q, dialect: StoreDialect, filter: Omit<HistoryFilter, 'limit' | 'cursor' | 'statuses'>): Q {
  let filtered = query as EmailsQuery;
  const { senderAddress, providerId, failureCodes, recipient, userId, subject, meta, sinceMs, untilMs } = filter;
  if (senderAddress !== undefined) filtered = filtered.where('sender_address', '=', senderAddress);
  if (providerId !== undefined) filtered = filtered.where('provider_id', '=', providerId);
  if (failureCodes !== undefined) filtered = filtered.where(failureCode(dialect), 'in', failureCodes);
  if (recipient !== undefined) filtered = filtered.where(recipientContains(dialect, recipient));
  if (userId !== undefined) filtered = filtered.where('user_id', '=', userId);
  if (subject !== undefined) filtered = filtered.where(sql<boolean>`${dialect === 'sqlite' ? sql`instr` : sql`strpos`}(${lower(dialect, sql.ref('subject'))}, ${subject}) > 0`);
  for (const [key, value] of meta ?? []) filtered = filtered.where(metaEquals(dialect, key, value));
  if (sinceMs !== undefined) filtered = filtered.where('created_at_ms', '>=', sinceMs);
  if (untilMs !== undefined) filtered = filtered.where('created_at_ms', '<', untilMs);
  return filtered as Q;
}
