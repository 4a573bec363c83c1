import type { Kysely } from 'kysely';
import { EMAIL_STATUSES, type EmailStatus } from '../email-record.js';
import type { HistoryPage } from '../history-query.js';
import { rowToEmail } from './email-row.js';
import { encodeHistoryCursor } from './history-cursor.js';
import type { HistoryFilter } from './history-filter.js';
import { whereFiltered } from './where-filtered.js';
import { EMAIL_COLUMNS, type StoreDatabase } from './store-database.js';
import type { StoreDialect } from './store-migrations.js';

/** The filters other than status, newest first, one row more than the page. */
function newestFirst(db: Kysely<StoreDatabase>, dialect: StoreDialect, filter: HistoryFilter, status: EmailStatus) {
  let query = whereFiltered(db.selectFrom('emails').where('status', '=', status), dialect, filter);
  const { cursor } = filter;
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
