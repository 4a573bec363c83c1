import type { Kysely } from 'kysely';
import { EMAIL_STATUSES, type EmailStatus } from '../email-record.js';
import type { HistoryCounts } from '../history-query.js';
import type { HistoryFilter } from './history-filter.js';
import type { StoreDatabase } from './store-database.js';
import type { StoreDialect } from './store-migrations.js';
import { failureCode, whereFiltered } from './where-filtered.js';

/** How many emails a filter matches, by status, by failure code, and how many were forced. */
export async function countEmails(db: Kysely<StoreDatabase>, dialect: StoreDialect, filter: Omit<HistoryFilter, 'limit' | 'cursor'>): Promise<HistoryCounts> {
  const filtered = () => {
    const query = whereFiltered(db.selectFrom('emails'), dialect, filter);
    return filter.statuses === undefined ? query : query.where('status', 'in', filter.statuses);
  };
  const [statusRows, codeRows] = await Promise.all([
    filtered()
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n'), (eb) => eb.fn.sum<number | string | null>('forced').as('forced')])
      .groupBy('status')
      .execute(),
    filtered()
      .where('failure_json', 'is not', null)
      .select([failureCode(dialect).as('code'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(failureCode(dialect))
      .execute(),
  ]);
  const byStatus = Object.fromEntries(EMAIL_STATUSES.map((status) => [status, 0])) as Record<EmailStatus, number>;
  let forced = 0;
  for (const row of statusRows) {
    byStatus[row.status as EmailStatus] = Number(row.n);
    forced += Number(row.forced ?? 0);
  }
  const byFailureCode = codeRows
    .map((row) => ({ code: String(row.code), count: Number(row.n) }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  return { total: Object.values(byStatus).reduce((sum, n) => sum + n, 0), byStatus, byFailureCode, forced };
}

/** The ids among `ids` whose message is kept (queued, or failed and not purged): those a retry can send. */
export async function idsWithMessage(db: Kysely<StoreDatabase>, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('email_payloads').select('email_id').where('email_id', 'in', [...ids]).execute();
  return rows.map((row) => row.email_id);
}
