import type { CompiledQuery, ExpressionBuilder, Kysely } from 'kysely';
import { FINAL_STATUSES } from '../email-record.js';
import type { StoreDatabase } from './store-database.js';
import { statusInLiterals } from './store-migrations.js';

/** Runs one long write statement and returns how many rows it changed. */
export type LongWrite = (query: CompiledQuery) => Promise<number>;

/**
 * Purges of at least this many rows go to `longWrite` (a worker thread on SQLite); smaller
 * ones take a few milliseconds and run in place, without starting a thread.
 */
const LONG_PURGE_ROWS = 2000;

/** Finished emails created before the cutoff: the ones the retention purge deletes. */
const expiredBefore = (cutoffMs: number) => (eb: ExpressionBuilder<StoreDatabase, 'emails'>) =>
  eb.and([statusInLiterals(FINAL_STATUSES), eb('created_at_ms', '<', cutoffMs)]);

/**
 * Deletes the emails in a final status created before the cutoff, in one
 * set-based DELETE (atomic on its own): the attempt log is a column of the
 * row, and a final email has no payload left, so nothing else needs deleting.
 * A large purge goes to `longWrite` when the dialect has one. Returns how many.
 */
export async function purgeFinished(db: Kysely<StoreDatabase>, cutoffMs: number, longWrite: LongWrite | undefined): Promise<number> {
  const purge = db.deleteFrom('emails').where(expiredBefore(cutoffMs));
  if (longWrite !== undefined && (await expiredAtLeast(db, cutoffMs, LONG_PURGE_ROWS))) return longWrite(purge.compile());
  return Number((await purge.executeTakeFirst()).numDeletedRows);
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
