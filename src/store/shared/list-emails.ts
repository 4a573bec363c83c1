import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { EMAIL_STATUSES, type EmailStatus } from '../email-record.js';
import type { HistoryPage } from '../history-query.js';
import { rowToEmail } from './email-row.js';
import { encodeHistoryCursor } from './history-cursor.js';
import type { HistoryFilter } from './history-filter.js';
import { EMAIL_COLUMNS, type StoreDatabase } from './store-database.js';
import type { StoreDialect } from './store-migrations.js';

type EmailsQuery = SelectQueryBuilder<StoreDatabase, 'emails', object>;

/** The code of an email's failure, read from its JSON (no index: it narrows rows another filter found). */
const failureCode = (dialect: StoreDialect) => (dialect === 'sqlite' ? sql<string>`json_extract(failure_json, '$.code')` : sql<string>`(failure_json::jsonb ->> 'code')`);

/** The filters other than status, newest first, one row more than the page. */
function newestFirst(db: Kysely<StoreDatabase>, dialect: StoreDialect, filter: HistoryFilter, status: EmailStatus) {
  let query: EmailsQuery = db.selectFrom('emails');
  const { senderAddress, providerId, failureCodes, sinceMs, untilMs, cursor } = filter;
  query = query.where('status', '=', status);
  if (senderAddress !== undefined) query = query.where('sender_address', '=', senderAddress);
  if (providerId !== undefined) query = query.where('provider_id', '=', providerId);
  if (failureCodes !== undefined) query = query.where(failureCode(dialect), 'in', failureCodes);
  if (sinceMs !== undefined) query = query.where('created_at_ms', '>=', sinceMs);
  if (untilMs !== undefined) query = query.where('created_at_ms', '<', untilMs);
  if (cursor !== undefined) {
    // The plain `<=` lets the index range start at the cursor; the tuple settles ties.
    query = query
      .where('created_at_ms', '<=', cursor.createdAtMs)
      .where((eb) => eb(eb.refTuple('created_at_ms', 'id'), '<', eb.tuple(cursor.createdAtMs, cursor.id)));
  }
  return query.select(EMAIL_COLUMNS).orderBy('created_at_ms', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
}

/**
 * One page of history, newest first (created desc, id desc), with keyset pagination.
 *
 * An index hands out one status (or one sender + status) newest first, but
 * not several merged: `status IN (…)` would make SQLite sort every matching
 * row. So the query runs one indexed, LIMITed branch per status (all seven
 * when no status is given), merged by UNION ALL in the same statement (one
 * snapshot, so no email can appear twice).
 */
export async function listEmailPage(db: Kysely<StoreDatabase>, dialect: StoreDialect, filter: HistoryFilter): Promise<HistoryPage> {
  const branches = (filter.statuses ?? EMAIL_STATUSES).map((status) => newestFirst(db, dialect, filter, status));
  const [single] = branches;
  const rows =
    branches.length === 1 && single !== undefined
      ? await single.execute()
      : await db
          .selectFrom(
            branches
              .map((branch, i) => db.selectFrom(branch.as(`b${i}`)).selectAll())
              .reduce((merged, branch) => merged.unionAll(branch))
              .as('merged'),
          )
          .selectAll()
          .orderBy('created_at_ms', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit + 1)
          .execute();
  const items = rows.slice(0, filter.limit).map(rowToEmail);
  const last = rows.length > filter.limit ? rows[filter.limit - 1] : undefined;
  return {
    items,
    ...(last !== undefined ? { nextCursor: encodeHistoryCursor({ createdAtMs: Number(last.created_at_ms), id: last.id }) } : {}),
  };
}
