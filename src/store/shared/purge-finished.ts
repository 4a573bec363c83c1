import { sql, type CompiledQuery, type ExpressionBuilder, type Kysely } from 'kysely';
import { FINAL_STATUSES } from '../email-record.js';
import type { StoreDatabase } from './store-database.js';
import { statusInLiterals } from './store-migrations.js';

/**
 * Runs a large purge elsewhere (on SQLite, a worker thread) and returns how many rows it
 * deleted: `remove` is the DELETE, `countExpired` counts the rows it deletes, and
 * `sweep` then deletes the payloads left without an email, in the same transaction.
 */
export type LongPurge = (purge: { remove: CompiledQuery; countExpired: CompiledQuery; sweep: CompiledQuery }) => Promise<number>;

/**
 * Purges of at least this many rows go to `longPurge` (a worker thread on SQLite); smaller
 * ones take a few milliseconds and run in place, without starting a thread.
 */
const LONG_PURGE_ROWS = 2000;

/** Finished emails created before the cutoff: the ones the retention purge deletes. */
const expiredBefore = (cutoffMs: number) => (eb: ExpressionBuilder<StoreDatabase, 'emails'>) =>
  eb.and([statusInLiterals(FINAL_STATUSES), eb('created_at_ms', '<', cutoffMs)]);

/**
 * The payloads whose email is gone: those of the failed emails a purge deleted (the only
 * final emails that keep one, see email-payloads.ts). Its cost follows the payload table,
 * which holds only waiting and failed email, not the history.
 */
const orphanPayloads = (db: Kysely<StoreDatabase>) =>
  db.deleteFrom('email_payloads').where(({ not, exists, selectFrom }) => not(exists(selectFrom('emails').select('emails.id').whereRef('emails.id', '=', 'email_payloads.email_id'))));

/**
 * Deletes the emails in a final status created before the cutoff, in one
 * set-based DELETE, and then the payloads of the failed ones, in one
 * transaction: the attempt log is a column of the row, so nothing else needs
 * deleting. A large purge goes to `longPurge` when the dialect has one.
 * Returns how many emails were deleted.
 */
export async function purgeFinished(db: Kysely<StoreDatabase>, cutoffMs: number, longPurge: LongPurge | undefined): Promise<number> {
  if (longPurge !== undefined && (await expiredAtLeast(db, cutoffMs, LONG_PURGE_ROWS))) {
    // SQLite (the only dialect with a long purge): the rows go in rowid order, each table page
    // emptied at once. Deleted in the index's order (status, then time), every page would lose its
    // sent rows first and its failed ones in a second pass, and be rebalanced and written in
    // between: on 1,000,000 rows, a third purged this way wrote 198 MB of WAL instead of 300.
    const expiredRowids = db.selectFrom('emails').select(sql<number>`rowid`.as('rowid')).where(expiredBefore(cutoffMs));
    const remove = db.deleteFrom('emails').where(sql<number>`rowid`, 'in', expiredRowids);
    const countExpired = db.selectFrom('emails').select((eb) => eb.fn.countAll().as('n')).where(expiredBefore(cutoffMs));
    return longPurge({ remove: remove.compile(), countExpired: countExpired.compile(), sweep: orphanPayloads(db).compile() });
  }
  return db.transaction().execute(async (trx) => {
    const { numDeletedRows } = await trx.deleteFrom('emails').where(expiredBefore(cutoffMs)).executeTakeFirst();
    await orphanPayloads(trx).execute();
    return Number(numDeletedRows);
  });
}

/** Are there at least `rows` finished emails created before the cutoff? (Stops counting there.) */
async function expiredAtLeast(db: Kysely<StoreDatabase>, cutoffMs: number, rows: number): Promise<boolean> {
  const expired = db.selectFrom('emails').select('id').where(expiredBefore(cutoffMs)).limit(rows);
  const { n } = await db
    .selectFrom(expired.as('expired'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n) >= rows;
}
