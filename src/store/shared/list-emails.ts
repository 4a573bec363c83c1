import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { EmailStatus } from '../email-record.js';
import type { HistoryPage } from '../history-query.js';
import { rowToEmail } from './email-row.js';
import { encodeHistoryCursor } from './history-cursor.js';
import type { HistoryFilter } from './history-filter.js';
import type { StoreDatabase } from './store-database.js';

type EmailsQuery = SelectQueryBuilder<StoreDatabase, 'emails', object>;

const ALL_STATUSES: readonly EmailStatus[] = ['queued', 'sending', 'sent', 'failed', 'deferred', 'blocked', 'exported'];

/** The filters other than status, newest first, one row more than the page. */
function newestFirst(db: Kysely<StoreDatabase>, filter: HistoryFilter, status: EmailStatus | undefined) {
  let query: EmailsQuery = db.selectFrom('emails');
  const { senderAddress, providerId, sinceMs, untilMs, cursor } = filter;
  if (status !== undefined) query = query.where('status', '=', status);
  if (senderAddress !== undefined) query = query.where('sender_address', '=', senderAddress);
  if (providerId !== undefined) query = query.where('provider_id', '=', providerId);
  if (sinceMs !== undefined) query = query.where('created_at_ms', '>=', sinceMs);
  if (untilMs !== undefined) query = query.where('created_at_ms', '<', untilMs);
  if (cursor !== undefined) {
    query = query.where((eb) => eb(eb.refTuple('created_at_ms', 'id'), '<', eb.tuple(cursor.createdAtMs, cursor.id)));
  }
  return query.selectAll().orderBy('created_at_ms', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
}

/**
 * The statuses to query one by one. An index can hand out one status (or one
 * sender + status) newest first, but not several merged: a plain
 * `status IN (…)` makes SQLite sort every matching row. So a multi-status or
 * sender-only query becomes one indexed, LIMITed branch per status, merged by
 * UNION ALL in the same statement (one snapshot, so no duplicates).
 */
function branchStatuses(filter: HistoryFilter): readonly (EmailStatus | undefined)[] {
  if (filter.statuses !== undefined) return filter.statuses;
  if (filter.senderAddress !== undefined) return ALL_STATUSES;
  return [undefined];
}

/** One page of history, newest first (created desc, id desc), with keyset pagination. */
export async function listEmailPage(db: Kysely<StoreDatabase>, filter: HistoryFilter): Promise<HistoryPage> {
  const [only, ...more] = branchStatuses(filter);
  let rows;
  if (more.length === 0) {
    rows = await newestFirst(db, filter, only).execute();
  } else {
    const branch = (status: EmailStatus | undefined, i: number) => db.selectFrom(newestFirst(db, filter, status).as(`b${i}`)).selectAll();
    const union = more.reduce((merged, status, i) => merged.unionAll(branch(status, i + 1)), branch(only, 0));
    rows = await db
      .selectFrom(union.as('merged'))
      .selectAll()
      .orderBy('created_at_ms', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
  }
  const items = rows.slice(0, filter.limit).map(rowToEmail);
  const last = rows.length > filter.limit ? rows[filter.limit - 1] : undefined;
  return {
    items,
    ...(last !== undefined ? { nextCursor: encodeHistoryCursor({ createdAtMs: Number(last.created_at_ms), id: last.id }) } : {}),
  };
}
